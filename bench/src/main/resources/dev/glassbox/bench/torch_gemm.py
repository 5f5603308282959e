"""PyTorch reference for sgemm throughput, run by dev.glassbox.bench.Comparisons beside Glassbox's Sgemm.

Usage: python3 torch_gemm.py THREADS MILLIS NAME:M:N:K:TRANS_A:TRANS_B ...
For each shape, C = op(A) . op(B) with op(A) M x K and op(B) K x N, stored as Glassbox's GemmShape stores them
(A as K x M when TRANS_A is 1, B as N x K when TRANS_B is 1, used through .t() views, as a framework calls its BLAS
for a transposed operand). torch.mm writes into a preallocated C. After a warm-up of a third of MILLIS, the best
of batches of about 20 ms filling MILLIS, as GemmReport times Glassbox: one thread in process CPU time, more in
wall time. Prints one JSON line: {"torch": version, "threads": T, "<name>_gflops": 2*M*N*K / seconds / 1e9, ...}.
"""
import json
import sys
import time

import torch


def best_seconds_per_call(call, millis, clock):
    def batch(ms):
        deadline = time.perf_counter() + ms / 1000.0
        start = clock()
        calls = 0
        while True:
            call()
            calls += 1
            if time.perf_counter() >= deadline:
                break
        return (clock() - start) / calls

    batch(millis / 3)
    deadline = time.perf_counter() + millis / 1000.0
    best = float("inf")
    while True:
        best = min(best, batch(20))
        if time.perf_counter() >= deadline:
            return best


def main():
    threads, millis = int(sys.argv[1]), float(sys.argv[2])
    torch.set_num_threads(threads)
    clock = time.process_time if threads == 1 else time.perf_counter
    generator = torch.Generator().manual_seed(42)
    result = {"torch": torch.__version__, "threads": threads}
    for spec in sys.argv[3:]:
        name, m, n, k, trans_a, trans_b = spec.split(":")
        m, n, k = int(m), int(n), int(k)
        a = torch.randn((k, m) if trans_a == "1" else (m, k), generator=generator)
        b = torch.randn((n, k) if trans_b == "1" else (k, n), generator=generator)
        op_a = a.t() if trans_a == "1" else a
        op_b = b.t() if trans_b == "1" else b
        c = torch.empty(m, n)
        seconds = best_seconds_per_call(lambda: torch.mm(op_a, op_b, out=c), millis, clock)
        result[name + "_gflops"] = 2.0 * m * n * k / seconds / 1e9
    print(json.dumps(result))


if __name__ == "__main__":
    main()
