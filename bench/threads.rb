# frozen_string_literal: true

# Parallelism and the watchdog's cost, measured in one run:
#   - 1, 2 and 4 Ruby threads, each with its own isolate, each calling the
#     same CPU-bound function; the speed-up is the work done per second over
#     one thread's (JS runs without the GVL, so threads run in parallel);
#   - eval of a tiny script with and without a timeout_ms (which arms and
#     disarms a deadline with the watchdog thread on every call).
# Targets: >= 1.8x for 2 threads (on 2 cores); the timeout adds < 20%.
#
#   bin/bench threads      (BENCH_SCALE=0.2 for shorter rounds)
$LOAD_PATH.unshift(File.expand_path("../gem/lib", __dir__))
require "rusty_racer"
require "etc"

SCALE = Float(ENV.fetch("BENCH_SCALE", 1))
# A function defined once per isolate, so its optimized code is kept
# between calls (a fresh script each time would be compiled again).
WORK = <<~JS
  function work() {
    let count = 0;
    for (let n = 2; n < 200000; n++) {
      let prime = true;
      for (let d = 2; d * d <= n; d++) if (n % d === 0) { prime = false; break }
      if (prime) count++;
    }
    return count;
  }
JS
ROUNDS = (10 * SCALE).ceil.clamp(2, nil)
PRIMES = 17_984

def clock = Process.clock_gettime(Process::CLOCK_MONOTONIC)

# Seconds for `threads` threads to run ROUNDS scripts each, timed once all
# have made their isolate and warmed it up.
def parallel(threads)
  ready = Queue.new
  go = Queue.new
  workers = Array.new(threads) do
    Thread.new do
      ctx = RustyRacer::Isolate.new.context
      ctx.eval(WORK)
      3.times { ctx.call("work") }
      ready << true
      go.pop
      ROUNDS.times { raise "wrong result" unless ctx.call("work") == PRIMES }
    end
  end
  threads.times { ready.pop }
  started = clock
  threads.times { go << true }
  workers.each(&:join)
  clock - started
end

def per_eval_us(ctx, **kw)
  n = (200_000 * SCALE).to_i
  3.times { ctx.eval("1", **kw) }
  best = Float::INFINITY
  3.times do
    t = clock
    n.times { ctx.eval("1", **kw) }
    best = [best, (clock - t) / n * 1e6].min
  end
  best
end

puts "rusty_racer threads bench: #{Etc.nprocessors} cores, #{ROUNDS} scripts per thread"
base = nil
[1, 2, 4].each do |threads|
  seconds = parallel(threads)
  rate = threads * ROUNDS / seconds
  base ||= rate
  puts format("%d thread%s: %6.2f s  %6.1f scripts/s  speed-up %.2fx", threads, threads == 1 ? " " : "s", seconds, rate,
              rate / base)
  @two = rate / base if threads == 2
end
ctx = RustyRacer::Isolate.new.context
plain = per_eval_us(ctx)
timed = per_eval_us(ctx, timeout_ms: 1000)
puts format("eval(\"1\"): %.2f us; with timeout_ms: %.2f us (+%.0f%%)", plain, timed, (timed / plain - 1) * 100)
puts
puts "target 2 threads >= 1.8x: #{@two >= 1.8 ? 'met' : 'MISSED'} (#{format('%.2f', @two)}x)"
puts "target timeout adds < 20%: #{timed / plain < 1.2 ? 'met' : 'MISSED'} (+#{format('%.0f', (timed / plain - 1) * 100)}%)"
