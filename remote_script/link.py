"""The locked link: only the companion that knows the shared secret may talk MusiaIA to the script.

install.py writes one random secret into the script's ``config.json`` (``link_secret``) and into
the companion's data folder. The handshake proves, in both directions, that the other side knows
it without ever sending it (HMAC-SHA256 of fresh nonces, a different label per direction so one
side's proof can never be replayed as the other's):

    companion → script   /musiaia/hello      name protocol cnonce
    script → companion   /musiaia/challenge  protocol instance_id snonce HMAC("script", cnonce, snonce, id)
    companion → script   /musiaia/auth       snonce HMAC("companion", snonce, cnonce)
    script → companion   /musiaia/hello/reply …   (the companion is now paired)

From then on the script serves the link port to that one (ip, port) only and drops every other
sender's datagrams (a clear ``/musiaia/refused`` now and then, never a flood). A second companion
is refused while the paired one is alive; a restarted companion takes over once the old one has
been silent for ``takeover_seconds``.
"""

import binascii
import hashlib
import hmac
import os

SCRIPT_LABEL = b"musiaia/script"
COMPANION_LABEL = b"musiaia/companion"
NONCE_BYTES = 16
MIN_SECRET_BYTES = 16
CHALLENGE_SECONDS = 10.0
MAX_CHALLENGES = 16
REFUSAL_EVERY_SECONDS = 5.0


def parse_secret(text):
    """The secret's bytes from its hex text, or None when it is missing or too short."""
    if not isinstance(text, str):
        return None
    try:
        secret = binascii.unhexlify(text.strip())
    except (binascii.Error, ValueError):
        return None
    return secret if len(secret) >= MIN_SECRET_BYTES else None


def new_nonce():
    return binascii.hexlify(os.urandom(NONCE_BYTES)).decode("ascii")


def _mac(secret, label, parts):
    message = label + b"\x00" + b"\x00".join(p.encode("utf-8") for p in parts)
    return hmac.new(secret, message, hashlib.sha256).hexdigest()


def script_proof(secret, companion_nonce, script_nonce, instance_id):
    return _mac(secret, SCRIPT_LABEL, (companion_nonce, script_nonce, instance_id))


def companion_proof(secret, script_nonce, companion_nonce):
    return _mac(secret, COMPANION_LABEL, (script_nonce, companion_nonce))


def valid_nonce(value):
    return (isinstance(value, str) and len(value) == NONCE_BYTES * 2
            and all(c in "0123456789abcdef" for c in value))


class Gate(object):
    """Who may use the link port: the one paired companion, plus handshakes from anyone."""

    def __init__(self, secret, clock, takeover_seconds=10.0):
        self.secret = secret
        self._clock = clock
        self._takeover = takeover_seconds
        self._challenges = {}  # sender -> (companion nonce, script nonce, issued at)
        self._refused_at = {}  # sender -> last refusal time
        self.peer = None
        self.peer_seen = None
        self.dropped = 0
        self.refusals = 0
        self.failed_auth = 0

    def is_peer(self, sender):
        return self.peer is not None and sender == self.peer

    def seen(self, sender):
        if self.is_peer(sender):
            self.peer_seen = self._clock()

    def challenge(self, sender, companion_nonce, instance_id):
        """(script nonce, proof) for a hello; raises ValueError with the refusal reason."""
        if self.secret is None:
            raise ValueError("this MusiaIA script has no link secret: run 'python3 install.py "
                             "script' again so it is paired with the companion")
        if not valid_nonce(companion_nonce):
            raise ValueError("hello needs a 32-digit hex nonce")
        now = self._clock()
        for address in [a for a, c in self._challenges.items() if now - c[2] > CHALLENGE_SECONDS]:
            del self._challenges[address]
        while len(self._challenges) >= MAX_CHALLENGES:
            oldest = min(self._challenges, key=lambda a: self._challenges[a][2])
            del self._challenges[oldest]
        script_nonce = new_nonce()
        self._challenges[sender] = (companion_nonce, script_nonce, now)
        return script_nonce, script_proof(self.secret, companion_nonce, script_nonce, instance_id)

    def authenticate(self, sender, script_nonce, proof):
        """Pair ``sender`` when its proof is right; raises ValueError with the reason if not."""
        pending = self._challenges.pop(sender, None)
        if self.secret is None:
            raise ValueError("this MusiaIA script has no link secret")
        if pending is None or not isinstance(script_nonce, str) or script_nonce != pending[1]:
            self.failed_auth += 1
            raise ValueError("no handshake in progress from this address: say hello first")
        expected = companion_proof(self.secret, pending[1], pending[0])
        if not isinstance(proof, str) or not hmac.compare_digest(proof, expected):
            self.failed_auth += 1
            raise ValueError("wrong link secret: this companion is not paired with this script")
        if self.peer is not None and sender != self.peer and not self.peer_gone():
            raise ValueError("another MusiaIA companion is connected (%s:%d)" % self.peer)
        self.peer = sender
        self.peer_seen = self._clock()
        return True

    def peer_gone(self):
        return self.peer_seen is None or self._clock() - self.peer_seen > self._takeover

    def unpair(self, sender=None):
        if sender is None or sender == self.peer:
            self.peer = None
            self.peer_seen = None

    def should_refuse(self, sender):
        """True at most once per REFUSAL_EVERY_SECONDS per sender (the rest is dropped quietly)."""
        self.dropped += 1
        now = self._clock()
        last = self._refused_at.get(sender)
        if last is not None and now - last < REFUSAL_EVERY_SECONDS:
            return False
        if len(self._refused_at) > 64:
            self._refused_at.clear()
        self._refused_at[sender] = now
        self.refusals += 1
        return True
