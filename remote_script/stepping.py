"""Work done a little per Live tick: a generator of small units, advanced within a time budget.

Live calls the script from its UI thread; a long job (building a song, reading clips) must never
hold it, so each tick runs units until the budget is spent and the rest waits for the next tick.
"""


class Stepped(object):
    """A job whose ``_units`` generator yields after each small unit of work."""

    _units = None
    done = False

    def advance(self, budget_seconds=None, clock=None):
        """Run units until the job is done or ``budget_seconds`` of ``clock`` are spent (no
        budget: one unit). Returns whether the job is done."""
        started = clock() if clock else 0.0
        while not self.done:
            try:
                next(self._units)
            except StopIteration:
                self.done = True
                break
            if budget_seconds is None or clock is None or clock() - started >= budget_seconds:
                break
        return self.done
