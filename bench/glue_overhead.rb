# frozen_string_literal: true

# Per-call cost of a method generated from the IDL against the same method
# registered by hand with Magnus, measured in the same run. Both add two
# Integers; the generated ones also parse arguments by name and (for the
# Widget method) check the owner thread and disposal.
#
#   bin/bench glue        (builds the fixture in release mode first)
$LOAD_PATH.unshift(ENV.fetch("RR_FIXTURE_DIR"))
require "rr_fixture"

F = RustyRacerFixture
N = Integer(ENV.fetch("BENCH_N", 1_000_000))
ROUNDS = Integer(ENV.fetch("BENCH_ROUNDS", 9))
w = F::Widget.new("bench")

def clock = Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond)

# Each body is a block so every case pays the same loop overhead.
CASES = {
  "empty loop" => -> { i = 0; while i < N; i += 1; end },
  "module fn, by hand" => -> { i = 0; while i < N; F::Hand.add(i, 1); i += 1; end },
  "module fn, generated" => -> { i = 0; while i < N; F.add(i, 1); i += 1; end },
  "owner method, by hand" => -> { i = 0; while i < N; w.hand_add(i, 1); i += 1; end },
  "owner method, generated" => -> { i = 0; while i < N; w.add(i, 1); i += 1; end },
}.freeze

best = Hash.new(Float::INFINITY)
ROUNDS.times do
  CASES.each do |name, body| # interleaved, so drift hits every case alike
    t = clock
    body.call
    best[name] = [best[name], (clock - t).fdiv(N)].min
  end
end

loop_ns = best["empty loop"]
puts format("%-26s %10s %12s", "case", "ns/call", "minus loop")
CASES.each_key do |name|
  puts format("%-26s %10.1f %12.1f", name, best[name], best[name] - loop_ns)
end
puts
failed = false
[["module fn", "module fn, generated", "module fn, by hand"],
 ["owner method", "owner method, generated", "owner method, by hand"]].each do |label, gen, hand|
  ratio = (best[gen] - loop_ns) / (best[hand] - loop_ns)
  ok = ratio <= 1.10
  failed ||= !ok
  puts format("%-14s generated / by hand = %.3f  (target <= 1.10: %s)", label, ratio, ok ? "met" : "MISSED")
end
exit(failed && ENV["BENCH_STRICT"] ? 1 : 0)
