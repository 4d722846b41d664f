#!/usr/bin/env python3
"""CPython multiprocessing.Pool reference figures for the Multiprocessing.NET benchmarks.

Run by the C# benchmark harness as a subprocess:

    python3 bench/python/pool_bench.py --workload W --method fork|spawn --processes 2
        [--n N] [--chunksize C] [--words PATH] [--reps R]

Each workload runs in the fresh interpreter this script is: the first timed call is the
primary figure (``x``) and the median of the repeats that follow on the same pool is the
warm one (``warm_x``).

Prints exactly one JSON object, on the last line of stdout; nothing else is printed
to stdout.  All times are in seconds (floats) unless a field name says otherwise
(``_us`` = microseconds).  On failure the last line is ``{"error": ...}`` and the
exit status is 1.  Standard library only.  See README.md for each workload.
"""

import argparse
import hashlib
import itertools
import json
import math
import multiprocessing
import os
import platform
import resource
import statistics
import sys
import time
import traceback

# ---------------------------------------------------------------------------
# Task functions.  Module level so that they pickle by reference under spawn.
# ---------------------------------------------------------------------------


def identity(x):
    return x


def hash_word(word):
    # The guide's example task (Pool.map over a dictionary of words).
    return hashlib.sha512(word.encode('utf-8')).hexdigest()


# Iterations per burn() call.  Calibrated once in the parent; workers receive it
# through the pool initializer, because under spawn they re-import this module and
# would otherwise see the default.
K = 1


def set_k(k):
    global K
    K = k


def burn(i):
    x = i
    for _ in range(K):
        x = (x * 1103515245 + 12345) & 0x7fffffff
    return x


# ---------------------------------------------------------------------------
# Helpers
# ---------------------------------------------------------------------------

MASK64 = 0xFFFFFFFFFFFFFFFF
WORD_SEED = 0x9E3779B97F4A7C15
LETTERS = 'abcdefghijklmnopqrstuvwxyz'


def generate_words(n):
    """Deterministic word list, reproduced byte for byte by the C# side.

    xorshift64 (13, 7, 17) on an unsigned 64-bit state seeded with WORD_SEED;
    next() advances the state and returns it.  Per word: length = 3 + next() % 10,
    then `length` letters, each 'a' + next() % 26.
    """
    M = MASK64
    x = WORD_SEED
    out = []
    append = out.append
    for _ in range(n):
        x ^= (x << 13) & M
        x ^= x >> 7
        x ^= (x << 17) & M
        chars = []
        for _ in range(3 + x % 10):
            x ^= (x << 13) & M
            x ^= x >> 7
            x ^= (x << 17) & M
            chars.append(LETTERS[x % 26])
        append(''.join(chars))
    return out


def load_words(path, n=None):
    with open(path, encoding='utf-8') as f:
        words = [line.rstrip('\r\n') for line in f]
    return words if n is None else words[:n]


def words_digest(words):
    """SHA-256 of the words joined by '\\n' (UTF-8), to check the C# generator."""
    h = hashlib.sha256()
    for w in words:
        h.update(w.encode('utf-8'))
        h.update(b'\n')
    return h.hexdigest()


def median(samples):
    return statistics.median(samples)


def percentile(sorted_samples, p):
    """Nearest-rank percentile: the ceil(p/100 * n)-th smallest sample."""
    n = len(sorted_samples)
    rank = max(1, math.ceil(p / 100.0 * n))
    return sorted_samples[rank - 1]


def worker_pid(_):
    time.sleep(0.005)  # hold the worker briefly so the other workers take tasks too
    return os.getpid()


def wait_for_workers(pool, processes):
    """Block until every worker has run a task, so start-up stays out of the timings.

    Pool() returns before its workers are ready (under spawn each one still has to
    start an interpreter and import this module).  Bounded: gives up after ~10 s.
    """
    seen = set()
    deadline = time.monotonic() + 10.0
    while len(seen) < processes and time.monotonic() < deadline:
        seen.update(pool.map(worker_pid, range(2 * processes), chunksize=1))
    return len(seen)


def make_pool(ctx, processes, initializer=None, initargs=()):
    """A pool whose workers are all up (creation and start-up are not timed)."""
    pool = ctx.Pool(processes, initializer=initializer, initargs=initargs)
    try:
        wait_for_workers(pool, processes)
    except BaseException:
        pool.terminate()
        raise
    return pool


def first_and_warm(samples):
    """The first call, and the median of the repeats after it (NaN-free: the first again if none)."""
    return samples[0], (median(samples[1:]) if len(samples) > 1 else samples[0])


def sleep_ms(ms):
    time.sleep(ms / 1000.0)
    return ms


def spin_ms(ms):
    # CPU work, not wall time: the thread's own CPU clock, as the C# side's spin.
    end = time.thread_time() + ms / 1000.0
    while time.thread_time() < end:
        pass
    return ms


def timed(fn):
    t0 = time.perf_counter()
    value = fn()
    return time.perf_counter() - t0, value


def calibrate_k(target_s=0.002):
    """Pick K so that one burn() call takes about target_s in this process."""
    probe = 200_000
    set_k(probe)
    burn(0)  # warm up
    best = float('inf')
    for i in range(5):
        t0 = time.perf_counter()
        burn(i)
        best = min(best, time.perf_counter() - t0)
    k = max(1, int(round(target_s * probe / best)))
    set_k(k)
    return k


# ---------------------------------------------------------------------------
# Workloads.  Each takes (ctx, args) and returns a dict of figures.
# ---------------------------------------------------------------------------


def w_hash(ctx, a):
    n = a.n if a.n is not None else 1_000_000
    if a.words:
        words = load_words(a.words, a.n)
        source = a.words
    else:
        words = generate_words(n)
        source = 'generated'
    # Serial once: it is the reference, not a pool figure.
    dt, known = timed(lambda: {hash_word(w) for w in words})
    serial, pooled, hashes = [dt], [], len(known)
    with make_pool(ctx, a.processes) as pool:
        for _ in range(a.reps):
            dt, known = timed(lambda: set(pool.map(hash_word, words)))
            pooled.append(dt)
            if len(known) != hashes:
                raise RuntimeError('pool and serial hash sets differ')
    serial_first = serial[0]
    pool_first, pool_warm = first_and_warm(pooled)
    return {
        'serial_s': serial_first,
        'pool_s': pool_first, 'warm_pool_s': pool_warm,
        'words': len(words), 'hashes': hashes,
        'words_source': source, 'words_sha256': words_digest(words),
        'serial_samples': serial, 'pool_samples': pooled,
    }


def w_cpu(ctx, a):
    n = a.n if a.n is not None else 2000
    k = calibrate_k()
    tasks = range(n)
    # Serial once: it is the reference, not a pool figure.
    dt, expected = timed(lambda: [burn(i) for i in tasks])
    serial, pooled = [dt], []
    # The first figure counts the pool's start-up, as a program that creates a pool to run one map.
    t0 = time.perf_counter()
    pool = ctx.Pool(a.processes, initializer=set_k, initargs=(k,))
    with pool:
        for _ in range(a.reps):
            got = pool.map(burn, tasks, a.chunksize)
            pooled.append(time.perf_counter() - t0)
            if got != expected:
                raise RuntimeError('pool results differ from serial results')
            t0 = time.perf_counter()
    serial_first = serial[0]
    pool_first, pool_warm = first_and_warm(pooled)
    return {
        'serial_s': serial_first,
        'pool_s': pool_first, 'warm_pool_s': pool_warm, 'k': k,
        'tasks': n, 'task_ms': serial_first / n * 1e3,
        'serial_samples': serial, 'pool_samples': pooled,
    }


def w_map(ctx, a):
    n = a.n if a.n is not None else 10_000_000
    samples = []
    with make_pool(ctx, a.processes) as pool:
        for _ in range(a.reps):
            dt, got = timed(lambda: pool.map(identity, range(n), a.chunksize))
            samples.append(dt)
            if len(got) != n or (n and got[-1] != n - 1):
                raise RuntimeError('map returned the wrong results')
            del got
    s, w = first_and_warm(samples)
    return {'pool_s': s, 'items_per_s': n / s, 'warm_items_per_s': n / w, 'items': n, 'pool_samples': samples}


def w_imap(ctx, a):
    n = a.n if a.n is not None else 200_000
    chunksize = a.chunksize if a.chunksize is not None else 1
    samples = []

    def run():
        count = 0
        for _ in pool.imap(identity, range(n), chunksize=chunksize):
            count += 1
        return count

    with make_pool(ctx, a.processes) as pool:
        for _ in range(a.reps):
            dt, count = timed(run)
            samples.append(dt)
            if count != n:
                raise RuntimeError('imap returned %d items, expected %d' % (count, n))
    s, w = first_and_warm(samples)
    return {'pool_s': s, 'items_per_s': n / s, 'warm_items_per_s': n / w, 'items': n,
            'chunksize_used': chunksize, 'pool_samples': samples}


def w_apply_async(ctx, a):
    n = a.n if a.n is not None else 100_000
    samples = []

    def run():
        results = [pool.apply_async(identity, (i,)) for i in range(n)]
        return sum(r.get() for r in results)

    with make_pool(ctx, a.processes) as pool:
        for _ in range(a.reps):
            dt, total = timed(run)
            samples.append(dt)
            if total != n * (n - 1) // 2:
                raise RuntimeError('apply_async returned the wrong results')
    s, w = first_and_warm(samples)
    return {'pool_s': s, 'tasks_per_s': n / s, 'warm_tasks_per_s': n / w, 'tasks': n, 'pool_samples': samples}


def w_apply(ctx, a):
    n = a.n if a.n is not None else 3000
    rounds = []
    with make_pool(ctx, a.processes) as pool:
        for _ in range(a.reps):
            samples = []
            for i in range(n):
                t0 = time.perf_counter()
                pool.apply(identity, (i,))
                samples.append(time.perf_counter() - t0)
            rounds.append(sorted(x * 1e6 for x in samples))
    first = rounds[0]
    warm = sorted(x for r in rounds[1:] for x in r) or first
    return {
        'p50_us': percentile(first, 50), 'p99_us': percentile(first, 99),
        'warm_p50_us': percentile(warm, 50), 'warm_p99_us': percentile(warm, 99),
        'mean_us': statistics.fmean(first), 'min_us': first[0], 'max_us': first[-1],
        'calls': n,
        'note': 'the first n apply() calls of the pool, each timed alone (no warm-up), then n warm ones; nearest-rank percentiles',
    }


def w_bytes(ctx, a):
    size = a.n if a.n is not None else 64 * 1024 * 1024
    reps = a.reps
    data = bytes(range(256)) * (size // 256) + bytes(size % 256)
    samples = []
    with make_pool(ctx, a.processes) as pool:
        # The first full-size round trip is the primary figure; the repeats after it are the warm one.
        first, back = timed(lambda: pool.apply(identity, (data,)))
        del back
        for _ in range(max(1, reps - 1)):
            dt, back = timed(lambda: pool.apply(identity, (data,)))
            samples.append(dt)
            if back != data:
                raise RuntimeError('bytes came back changed')
            del back
    s = median(samples)
    return {
        'first_s': first, 'gb_per_s': size / first / 1e9,
        'median_s': s, 'warm_gb_per_s': size / s / 1e9, 'bytes': size, 'samples': samples,
        'note': 'gb_per_s = payload bytes (%d) / median round-trip seconds / 1e9; '
                'the payload crosses the pipe twice (to the worker and back) '
                'within that time' % size,
    }


def w_startup(ctx, a):
    reps = a.reps
    samples = []
    for _ in range(reps):
        t0 = time.perf_counter()
        pool = ctx.Pool(a.processes)
        pool.apply(identity, (1,))
        samples.append(time.perf_counter() - t0)
        pool.close()
        pool.join()
    first, warm = first_and_warm(samples)
    return {'s': first, 'warm_s': warm, 'median_s': median(samples), 'samples': samples,
            'note': 'Pool() creation to first apply(identity, (1,)) result; s = the first pool of this interpreter'}


def w_imap_infinite(ctx, a):
    n = a.n if a.n is not None else 10_000_000
    chunksize = a.chunksize if a.chunksize is not None else 1000
    baseline_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    samples = []
    for _ in range(a.reps):
        pool = make_pool(ctx, a.processes)
        try:
            t0 = time.perf_counter()
            it = pool.imap(identity, itertools.count(), chunksize=chunksize)
            last = None
            for last in itertools.islice(it, n):
                pass
            samples.append(time.perf_counter() - t0)
            if n and last != n - 1:
                raise RuntimeError('imap over count() returned the wrong items')
        finally:
            pool.terminate()
            pool.join()
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    s = median(samples)
    return {
        'peak_rss_mb': peak_kb / 1024.0, 'baseline_rss_mb': baseline_kb / 1024.0,
        'items_per_s': n / s, 'pool_s': s, 'items': n, 'chunksize_used': chunksize,
        'pool_samples': samples,
        'note': 'parent ru_maxrss (KiB on Linux) / 1024; baseline taken before the pool',
    }


SWEEP_CHUNKSIZES = [None, 1, 4, 16, 64, 256, 1024, 4096, 16384, 65536, 262144]


def w_sweep(ctx, a):
    map_n = a.n if a.n is not None else 200_000
    cpu_n = min(1000, map_n)
    k = calibrate_k()
    cpu, mp = {}, {}
    with make_pool(ctx, a.processes, set_k, (k,)) as pool:
        for cs in SWEEP_CHUNKSIZES:
            if cs is not None and cs > cpu_n / 2:
                continue
            samples = [timed(lambda: pool.map(burn, range(cpu_n), cs))[0]
                       for _ in range(a.reps)]
            cpu[str(cs)] = median(samples)
        for cs in SWEEP_CHUNKSIZES:
            samples = [timed(lambda: pool.map(identity, range(map_n), cs))[0]
                       for _ in range(a.reps)]
            mp[str(cs)] = median(samples)
    return {'cpu': cpu, 'map': mp, 'k': k, 'cpu_n': cpu_n, 'map_n': map_n,
            'note': 'seconds per pool.map call, keyed by chunksize; cpu_n = min(1000, n)'}


UNEVEN_MODES = ['auto', '1', 'unordered']


def w_uneven(ctx, a):
    if not a.durations:
        raise ValueError('uneven needs --durations PATH (milliseconds, one per line)')
    with open(a.durations, encoding='utf-8') as f:
        durations = [float(line) for line in f if line.strip()]
    out = {'tasks': len(durations), 'total_ms': sum(durations)}
    for kind, fn in (('sleep', sleep_ms), ('spin', spin_ms)):
        for mode in UNEVEN_MODES:
            def run():
                if mode == 'auto':
                    return pool.map(fn, durations)
                if mode == '1':
                    return pool.map(fn, durations, 1)
                return list(pool.imap_unordered(fn, durations))
            samples = []
            with make_pool(ctx, a.processes) as pool:
                for _ in range(a.reps):
                    dt, got = timed(run)
                    if sorted(got) != sorted(durations):
                        raise RuntimeError('uneven %s %s returned the wrong results' % (kind, mode))
                    samples.append(dt)
            first, warm = first_and_warm(samples)
            out['%s:%s' % (kind, mode)] = first
            out['warm_%s:%s' % (kind, mode)] = warm
    return out


def _pairs_per_s(a, default_n, one_pair, setup):
    n = a.n if a.n is not None else default_n
    samples = []
    with setup() as mgr:
        obj = one_pair(mgr)
        for _ in range(a.reps):
            t0 = time.perf_counter()
            for _ in range(n):
                obj()
            samples.append(time.perf_counter() - t0)
    s, w = first_and_warm(samples)
    return {'pairs_per_s': n / s, 'warm_pairs_per_s': n / w, 'elapsed_s': s, 'pairs': n, 'samples': samples}


def w_manager_lock(ctx, a):
    def one_pair(mgr):
        lock = mgr.Lock()

        def pair():
            lock.acquire()
            lock.release()
        return pair
    return _pairs_per_s(a, 20_000, one_pair, ctx.Manager)


def w_manager_queue(ctx, a):
    def one_pair(mgr):
        q = mgr.Queue()

        def pair():
            q.put(1)
            q.get()
        return pair
    return _pairs_per_s(a, 20_000, one_pair, ctx.Manager)


WORKLOADS = {
    'hash': w_hash, 'cpu': w_cpu, 'map': w_map, 'imap': w_imap,
    'apply_async': w_apply_async, 'apply': w_apply, 'bytes': w_bytes,
    'startup': w_startup, 'imap_infinite': w_imap_infinite, 'sweep': w_sweep,
    'manager_lock': w_manager_lock, 'manager_queue': w_manager_queue, 'uneven': w_uneven,
}
ALIASES = {'w%d' % (i + 1): name for i, name in enumerate(
    ['hash', 'cpu', 'map', 'imap', 'apply_async', 'apply', 'bytes',
     'startup', 'imap_infinite', 'sweep'])}
ALIASES['w11'] = 'uneven'
# The first call and one warm repeat; more where one sample is noisy.
DEFAULT_REPS = {'bytes': 6, 'startup': 5, 'imap_infinite': 1, 'sweep': 1}


class _Parser(argparse.ArgumentParser):
    def error(self, message):
        # Usage errors too end stdout with a JSON line, so the harness always has one.
        self.print_usage(sys.stderr)
        print(json.dumps({'error': 'usage: ' + message}), flush=True)
        sys.exit(2)


def parse_args(argv):
    p = _Parser(description=__doc__.split('\n')[0])
    p.add_argument('--workload', required=True,
                   help='one of %s (or W1..W11)' % ', '.join(WORKLOADS))
    p.add_argument('--method', required=True, choices=['fork', 'spawn', 'forkserver'])
    p.add_argument('--processes', type=int, default=2)
    p.add_argument('--n', type=int, default=None)
    p.add_argument('--chunksize', type=int, default=None)
    p.add_argument('--words', default=None)
    p.add_argument('--reps', type=int, default=None)
    p.add_argument('--durations', default=None)
    a = p.parse_args(argv)
    a.workload = ALIASES.get(a.workload.lower(), a.workload.lower())
    if a.workload not in WORKLOADS:
        p.error('unknown workload %r' % a.workload)
    if a.reps is None:
        a.reps = DEFAULT_REPS.get(a.workload, 2)
    if a.reps < 1 or a.processes < 1 or (a.n is not None and a.n < 1):
        p.error('--reps, --processes and --n must be >= 1')
    if a.chunksize is not None and a.chunksize < 1:
        p.error('--chunksize must be >= 1')
    return a


def main(argv):
    a = parse_args(argv)
    header = {
        'workload': a.workload, 'method': a.method, 'processes': a.processes,
        'n': a.n, 'chunksize': a.chunksize, 'reps': a.reps,
        'python': platform.python_version(), 'cpus': os.cpu_count(),
    }
    try:
        ctx = multiprocessing.get_context(a.method)
        figures = WORKLOADS[a.workload](ctx, a)
    except Exception as e:  # report, on the last line, as JSON
        header['error'] = '%s: %s' % (type(e).__name__, e)
        header['traceback'] = traceback.format_exc()
        print(json.dumps(header), flush=True)
        return 1
    header.update(figures)
    print(json.dumps(header), flush=True)
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
