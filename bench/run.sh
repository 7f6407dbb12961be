#!/usr/bin/env bash
# Runs the PyTorch reference and RnnLab's benchmarks back to back on this machine and prints the ratios.
#   bench/run.sh [threads] [seconds]      (defaults: 1 thread, 3 s per workload, as the PyTorch script)
# RnnLab W1 is also run on 1 and 2 threads in alternating blocks (one process) to report its own scaling.
set -euo pipefail
threads="${1:-1}"; seconds="${2:-3}"
root="$(cd "$(dirname "$0")/.." && pwd)"
anchor="${RNNLAB_TORCH_BENCH:-$root/../shared/anchors/torch_lstm_bench.py}"
dotnet build "$root/bench/RnnLab.Benchmarks" -c Release -v q -nologo >/dev/null
bench="$root/bench/RnnLab.Benchmarks/bin/Release/net10.0/RnnLab.Benchmarks"

echo "== PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)') (f64, $threads thread) =="
torch_out="$(/usr/bin/python3 "$anchor" f64 "$threads")"; echo "$torch_out"
echo "== RnnLab (f64, $threads thread, ${seconds}s per workload) =="
ours="$("$bench" --threads "$threads" --seconds "$seconds")"; echo "$ours"
echo "== RnnLab W1 on 1 and 2 threads, alternating blocks of 0.5 s =="
ours2="$("$bench" --scaling --seconds "$seconds")"; echo "$ours2"

field() { grep "^$1 .*ms/" | sed -E "s/.*: ([0-9.]+) ms\/(step|probe).*/\1/"; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo "== ratios (PyTorch time / RnnLab time: > 1 means RnnLab is faster) =="
for w in W1 W2 W3; do
  echo "$w: $(ratio "$(echo "$torch_out" | field $w)" "$(echo "$ours" | field $w)")x"
done
echo "W1 2 threads vs 1 thread (alternating): $(echo "$ours2" | grep -o 'speed-up [0-9.]*x' | cut -d' ' -f2)"
echo "$ours" | grep "peak working set"
