# frozen_string_literal: true

# Per-operation cost of the core, measured in one run against:
#   - the floor: the same operations through the v8 crate from Rust, no Ruby
#     (bench/floor; same V8 archive), and
#   - ExecJS with its Node runtime (Debian's ruby-execjs and the machine's node).
# Prints a table with ratios. Targets: each gem operation within 2x the floor;
# Isolate.new + first eval under 5 ms.
#
#   bin/bench core      (builds the extension and the floor in release mode)
$LOAD_PATH.unshift(File.expand_path("../gem/lib", __dir__))
require "rusty_racer"
require "json"

N = Integer(ENV.fetch("BENCH_N", 100_000))
floor = JSON.parse(IO.popen({ "BENCH_N" => N.to_s }, [ENV.fetch("RR_BENCH_FLOOR")], &:read))

def clock = Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond)

# Best of five rounds, after a warm-up, in nanoseconds per operation.
def per_op(n)
  (n / 10).times { yield }
  5.times.map do
    t = clock
    n.times { yield }
    (clock - t).fdiv(n)
  end.min
end

ctx = RustyRacer::Isolate.new.context
ctx.attach("cb", ->(x) { x })
ctx.eval("function inc(x) { return x + 1 }; function viaCb(x) { return cb(x) }")
gem = {
  "eval" => per_op(N) { ctx.eval("1+1") },
  "call" => per_op(N) { ctx.call("inc", 1) },
  "callback" => per_op(N) { ctx.call("viaCb", 1) },
  "create" => per_op([N / 1000, 50].max) do
    iso = RustyRacer::Isolate.new
    iso.context.eval("1+1")
    iso.dispose
  end,
}

execjs = {}
begin
  require "execjs"
  node = ExecJS::Runtimes::Node
  raise ExecJS::RuntimeUnavailable, "node not found" unless node.available?
  js = node.compile("function inc(x) { return x + 1 }")
  m = Integer(ENV.fetch("BENCH_EXECJS_N", 20))
  execjs["eval"] = per_op(m) { js.eval("1+1") }
  execjs["call"] = per_op(m) { js.call("inc", 1) }
  execjs["create"] = per_op(m) { node.compile("").eval("1+1") }
rescue LoadError, ExecJS::Error => e
  warn "ExecJS/Node unavailable: #{e.message}"
end

labels = {
  "eval" => 'eval("1+1")',
  "call" => "call of a one-argument function",
  "callback" => "JS -> Ruby callback round trip",
  "create" => "Isolate.new + first eval",
}
fmt = ->(ns) { ns.nil? ? "n/a" : (ns >= 1_000_000 ? format("%.2f ms", ns / 1e6) : format("%.0f ns", ns)) }
puts format("%-34s %12s %12s %9s %14s %11s", "operation", "rusty_racer", "v8 floor", "vs floor", "ExecJS(Node)", "vs ExecJS")
labels.each do |key, label|
  ours = gem[key]
  peer = execjs[key]
  puts format("%-34s %12s %12s %8.2fx %14s %11s", label, fmt[ours], fmt[floor[key]], ours / floor[key], fmt[peer],
              peer ? format("%.0fx faster", peer / ours) : "n/a")
end
puts
%w[eval call callback].each do |key|
  ratio = gem[key] / floor[key]
  puts format("target %-9s within 2x of the floor: %.2fx (%s)", key, ratio, ratio <= 2 ? "met" : "MISSED")
end
puts format("target create under 5 ms: %s (%s)", fmt[gem["create"]], gem["create"] < 5e6 ? "met" : "MISSED")
