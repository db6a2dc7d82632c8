"""Who talks to the script: every sender gets replies; senders that said hello also get pushes."""


class Clients(object):
    def __init__(self, clock, expiry_seconds=120.0, max_subscribers=8):
        self._clock = clock
        self._expiry = expiry_seconds
        self._max = max_subscribers
        self._subscribers = {}  # address -> {"name", "seen"}

    def seen(self, address):
        entry = self._subscribers.get(address)
        if entry is not None:
            entry["seen"] = self._clock()

    def subscribe(self, address, name=""):
        self._subscribers[address] = {"name": name, "seen": self._clock()}
        while len(self._subscribers) > self._max:
            oldest = min(self._subscribers, key=lambda a: self._subscribers[a]["seen"])
            del self._subscribers[oldest]

    def unsubscribe(self, address):
        return self._subscribers.pop(address, None) is not None

    def is_subscribed(self, address):
        return address in self._subscribers

    def subscribers(self):
        """Addresses that said hello, most recently active first."""
        return sorted(self._subscribers, key=lambda a: -self._subscribers[a]["seen"])

    def latest(self):
        found = self.subscribers()
        return found[0] if found else None

    def expire(self):
        now = self._clock()
        gone = [a for a, e in self._subscribers.items() if now - e["seen"] > self._expiry]
        for address in gone:
            del self._subscribers[address]
        return gone

    def __len__(self):
        return len(self._subscribers)
