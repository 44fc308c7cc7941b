"""Shrink a capture to a small one that still shows a difference.

    shrink(capture, test, hints=(), jobs=2, budget=250) -> (Capture, tests run)

`test(captures)` takes a list of Capture candidates and says, for each,
whether it still shows the difference (the caller runs them in parallel).
The shrinker asks for up to `jobs` candidates at a time and always goes on
with the first one, in a fixed order, that passes: the result does not
depend on `jobs` or on timing, only on the test.

1. Records: the hints first (lists of unit positions likely to suffice:
   none at all, the packet of the differing row, the packets of its flow),
   then delta debugging (Zeller's ddmin) over the units left: halves,
   then quarters, ..., each subset and each complement.
2. Bytes: every packet left is cut to the shortest prefix that still
   passes, then chunks are removed anywhere, from the end backwards,
   halving the chunk size down to one byte (unless interior=False); the
   record's length fields follow (Unit.with_packet).

`budget` bounds the number of candidates tested (the shrink stops with
what it has).  Results are cached by content, so no candidate runs twice.
"""
import hashlib


class Shrinker:
    def __init__(self, capture, test, jobs=2, budget=400, progress=None):
        self.capture = capture
        self.test = test
        self.jobs = max(1, jobs)
        self.budget = budget
        self.tests = 0
        self.cache = {}
        self.progress = progress

    def _key(self, cap):
        return hashlib.sha1(cap.to_bytes()).digest()

    def first_passing(self, candidates):
        """The position of the first candidate that passes, or None."""
        for start in range(0, len(candidates), self.jobs):
            batch = candidates[start:start + self.jobs]
            keys = [self._key(c) for c in batch]
            todo = [(k, c) for k, c in zip(keys, batch) if k not in self.cache]
            seen = set()
            todo = [(k, c) for k, c in todo if not (k in seen or seen.add(k))]
            if todo:
                if self.tests >= self.budget:
                    return None
                todo = todo[:max(0, self.budget - self.tests)]
                results = self.test([c for _, c in todo])
                self.tests += len(todo)
                for (k, _), ok in zip(todo, results):
                    self.cache[k] = bool(ok)
                if self.progress:
                    self.progress(self)
            for i, k in enumerate(keys):
                if self.cache.get(k):
                    return start + i
        return None

    # ---------------------------------------------------------- records

    def _with(self, positions):
        return self.capture.with_units([self.capture.units[i] for i in positions])

    def records(self, hints=()):
        items = list(range(len(self.capture.units)))
        tried = []
        for h in hints:
            h = sorted(set(i for i in h if 0 <= i < len(items)))
            if h not in tried and len(h) < len(items):
                tried.append(h)
        if tried:
            found = self.first_passing([self._with(h) for h in tried])
            if found is not None:
                items = tried[found]
        n = 2
        while len(items) >= 2:
            size = len(items)
            chunks = [items[i * size // n:(i + 1) * size // n] for i in range(n)]
            chunks = [c for c in chunks if c]
            cands = [c for c in chunks]
            if n > 2:
                cands += [[i for i in items if i not in set(c)] for c in chunks]
            found = self.first_passing([self._with(c) for c in cands])
            if found is not None:
                items = cands[found]
                n = 2 if found < len(chunks) else max(n - 1, 2)
                continue
            if n >= size:
                break
            n = min(size, 2 * n)
        if len(items) == 1:                       # and nothing at all?
            if self.first_passing([self._with([])]) is not None:
                items = []
        self.capture = self._with(items)
        return self.capture

    # ---------------------------------------------------------- bytes

    def bytes(self, interior=True):
        for u in range(len(self.capture.units)):
            pkt = self.capture.units[u].packet()
            if pkt is None or not pkt:
                continue
            # the shortest prefix that still passes: a search that tries up
            # to `jobs` lengths at once (hi passes, lo did not or is -1)
            lo, hi = -1, len(pkt)
            while hi - lo > 1 and self.tests < self.budget:
                k = min(self.jobs, hi - lo - 1)
                lengths = sorted({lo + (hi - lo) * i // (k + 1) for i in range(1, k + 1)} - {lo, hi})
                caps = [self._replace(u, pkt[:n]) for n in lengths]
                found = self.first_passing(caps)
                if found is None:
                    lo = lengths[-1]
                else:
                    lo = lengths[found - 1] if found else lo
                    hi = lengths[found]
                    self.capture = caps[found]
            pkt = pkt[:hi]
            # then chunks anywhere, from the end backwards, halving their size
            c = max(1, len(pkt) // 2)
            while interior and c >= 1 and pkt and self.tests < self.budget:
                end = len(pkt)
                while end > 0 and self.tests < self.budget:
                    cands, starts = [], []
                    e = end
                    while e > 0 and len(cands) < self.jobs:
                        st = max(0, e - c)
                        cands.append(pkt[:st] + pkt[e:])
                        starts.append(st)
                        e = st
                    caps = [self._replace(u, p) for p in cands]
                    found = self.first_passing(caps)
                    if found is None:
                        end = e
                    else:
                        pkt = cands[found]
                        self.capture = caps[found]
                        end = starts[found]
                c //= 2
        return self.capture

    def _replace(self, u, pkt):
        units = list(self.capture.units)
        units[u] = units[u].with_packet(pkt)
        return self.capture.with_units(units)


def shrink(capture, test, hints=(), jobs=2, budget=250, progress=None, interior=True):
    """Records, then bytes (with interior=False: only records cut short)."""
    s = Shrinker(capture, test, jobs, budget, progress)
    s.records(hints)
    s.bytes(interior)
    return s.capture, s.tests
