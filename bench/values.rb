# frozen_string_literal: true

# Marshalling cost per shape of data, both ways, measured in one run against:
#   - a JSON hop with Ruby's json: JS returns JSON.stringify(x) and Ruby parses
#     it; Ruby generates JSON and JS parses it,
#   - the same hop with Oj (Debian's ruby-oj, mode: :compat), and
#   - PyPI's mini-racer from Python (bench/values_mini_racer.py, run in a
#     virtualenv this script makes under the user cache dir).
# "return" is JS -> Ruby (ctx.call("get_X") of a prebuilt global, so building
# the data in JS is not timed); "pass" is Ruby -> JS (ctx.call("sink", value),
# where sink returns 0). Every operation is checked once to give the right
# value before it is timed; one that raises or gives a wrong value prints
# "error" and the reason below the table. Prints a table with ratios, then the
# targets: every shape faster than the Oj hop; objects >= 2x and strings,
# integers and floats >= 3x faster than the json hop; none slower than mini-racer.
#
#   bin/bench values      (BENCH_SCALE=0.2 for shorter rounds)
$LOAD_PATH.unshift(File.expand_path("../gem/lib", __dir__))
require "rusty_racer"
require "json"
require "set"
require "fileutils"

SCALE = Float(ENV.fetch("BENCH_SCALE", 1))
ROUND_NS = 80_000_000 * SCALE
ROUNDS = 5
MINI_RACER_SCRIPT = File.expand_path("values_mini_racer.py", __dir__)
MAP_CLASS = defined?(RustyRacer::JSMap) ? RustyRacer::JSMap : Hash

# The data and its checks, shared with bench/values_mini_racer.py.
JS = File.read(File.expand_path("values_data.js", __dir__))

def nest(i, depth) = depth == 1 ? { "v" => i } : { "v" => i, "next" => nest(i, depth - 1) }

# The Ruby side of each shape: what a native return must give, and what is passed.
def ruby_data
  n = 10_000
  {
    "ints" => Array.new(n) { |i| i },
    "floats" => Array.new(n) { |i| i + 0.5 },
    "ascii" => Array.new(n) { |i| "s#{i}" },
    "nonascii" => Array.new(n) { |i| "#{i.even? ? 'é' : '日本'}#{i}" },
    "objects" => Array.new(1000) { |i| (0...10).to_h { |k| ["k#{k}", i + k] } },
    "nested" => Array.new(100) { |i| nest(i, 5) },
    "binary" => Array.new(1_000_000) { |i| i & 255 }.pack("C*"),
    "map" => MAP_CLASS[Array.new(n) { |i| ["k#{i}", i] }],
    "set" => Set.new(0...n),
  }
end

LABELS = {
  "ints" => "10k integers", "floats" => "10k floats", "ascii" => "10k ASCII strings",
  "nonascii" => "10k non-ASCII strings", "objects" => "1k objects x 10 keys", "nested" => "100 objects 5 deep",
  "binary" => "1 MB binary", "map" => "Map of 10k", "set" => "Set of 10k"
}.freeze

def clock = Process.clock_gettime(Process::CLOCK_MONOTONIC, :nanosecond)

# Best of ROUNDS rounds of about ROUND_NS each, after a warm-up, in ms per operation.
def per_op_ms
  GC.start
  t = clock
  yield
  n = (ROUND_NS / [clock - t, 1].max).clamp(1, 100_000).to_i
  [n / 5, 1].max.times { yield }
  ROUNDS.times.map do
    t = clock
    n.times { yield }
    (clock - t).fdiv(n)
  end.min / 1e6
end

# What a result failed with; shown as "error" in the table and explained below it.
Failure = Struct.new(:message)
class WrongValue < StandardError; end

# Runs the check (a String means a wrong value), then times the block; a Float or a Failure.
def measure(check)
  problem = check.call
  raise WrongValue, "wrong value: #{problem}" if problem.is_a?(String) && !problem.empty?

  per_op_ms { yield }
rescue StandardError => e
  Failure.new(e.is_a?(WrongValue) ? e.message : "#{e.class}: #{e.message}")
end

# nil when got is want; with strict, also of the same class (JSMap, not Hash) and encoding.
def return_problem(want, got, strict:)
  return "expected #{want.class}, got #{got.class}" if strict && !got.instance_of?(want.class)
  return "expected #{want.encoding}, got #{got.encoding}" if strict && want.is_a?(String) && want.encoding != got.encoding
  return if got == want

  i = want.is_a?(Array) && got.is_a?(Array) && want.each_index.find { |j| want[j] != got[j] }
  i ? "[#{i}]: expected #{want[i].inspect}, got #{got[i].inspect[0, 60]}" : "got #{got.inspect[0, 60]}"
end

# The JSON hops carry binary as an array of bytes and a Set as an array (see the JS above).
def to_jsonable(shape, value)
  case shape
  when "binary" then value.bytes
  when "set" then value.to_a
  else value
  end
end

def from_jsonable(shape, value)
  case shape
  when "binary" then value.pack("C*")
  when "set" then Set.new(value)
  else value
  end
end

# The timed operations of one column: return (JS -> Ruby) and pass (Ruby -> JS).
def hop(ctx, shape, want, load, dump)
  ret = -> { from_jsonable(shape, load.call(ctx.call("get_#{shape}_json"))) }
  pass = -> { ctx.call("sink_json_#{shape}", dump.call(to_jsonable(shape, want))) }
  {
    "return" => measure(-> { return_problem(want, ret.call, strict: false) }, &ret),
    "pass" => measure(-> { ctx.call("check_json_#{shape}", dump.call(to_jsonable(shape, want))) }, &pass),
  }
end

def ruby_results(ctx, data, oj)
  data.to_h do |shape, want|
    native = {
      "return" => measure(-> { return_problem(want, ctx.call("get_#{shape}"), strict: true) }) { ctx.call("get_#{shape}") },
      "pass" => measure(-> { ctx.call("check_#{shape}", want) }) { ctx.call("sink", want) },
    }
    json = hop(ctx, shape, want, JSON.method(:parse), JSON.method(:generate))
    ojs = oj ? hop(ctx, shape, want, ->(s) { Oj.load(s, mode: :compat) }, ->(v) { Oj.dump(v, mode: :compat) }) : {}
    [shape, { "native" => native, "json" => json, "oj" => ojs }]
  end
end

def cache_dir
  base = ENV.fetch("XDG_CACHE_HOME", "")
  File.join(base.empty? ? File.join(Dir.home, ".cache") : base, "rusty_racer")
end

# The Python interpreter of a virtualenv with mini-racer installed, made if missing; nil if it cannot be.
def mini_racer_python
  venv = File.join(cache_dir, "bench-venv")
  python = File.join(venv, "bin", "python")
  quiet = { out: File::NULL, err: File::NULL }
  return python if File.executable?(python) && system(python, "-c", "import py_mini_racer", **quiet)

  unless File.executable?(python)
    unless system("python3", "-c", "import venv, ensurepip", **quiet)
      warn "mini-racer skipped: no python3 with a usable venv module (on Debian: apt-get install python3-venv)"
      return
    end
    FileUtils.mkdir_p(File.dirname(venv))
    unless system("python3", "-m", "venv", venv)
      FileUtils.rm_rf(venv)
      warn "mini-racer skipped: python3 -m venv #{venv} failed"
      return
    end
  end
  warn "installing mini-racer from PyPI into #{venv}"
  return python if system(python, "-m", "pip", "install", "-q", "mini-racer")

  warn "mini-racer skipped: pip install mini-racer failed"
  nil
end

# {shape => {"return" => ms, "pass" => ms}} from bench/values_mini_racer.py; nil where it gave none.
def mini_racer_results
  python = mini_racer_python or return {}
  out = IO.popen({ "BENCH_SCALE" => SCALE.to_s }, [python, MINI_RACER_SCRIPT], &:read)
  raise "#{File.basename(MINI_RACER_SCRIPT)} exited with #{$?.exitstatus}" unless $?.success?

  ms = ->(v) { v.is_a?(Numeric) ? v.to_f : nil }
  JSON.parse(out).transform_values { |r| { "return" => ms[r["return_ms"]], "pass" => ms[r["pass_ms"]] } }
rescue StandardError => e
  warn "mini-racer skipped: #{e.message}"
  {}
end

def fmt_ms(v) = v.is_a?(Float) ? format("%.3f", v) : (v.is_a?(Failure) ? "error" : "n/a")

# How the native time compares with a peer's; a Float ratio (> 1: native is faster) or nil.
def ratio(native, peer) = native.is_a?(Float) && peer.is_a?(Float) ? peer / native : nil

def fmt_ratio(r)
  return "n/a" unless r

  r >= 1 ? format("%.2fx faster", r) : format("%.2fx slower", 1 / r)
end

COLUMNS = { "json" => "json", "oj" => "oj", "mini-racer" => "mini-racer(py)" }.freeze
ROW = "%-22s %-6s %10s %10s %10s %14s %15s %15s %20s"

def print_table(results)
  puts format(ROW, "shape", "dir", "native ms", "json ms", "oj ms", "mini-racer(py)",
              "native vs json", "native vs oj", "native vs mini-racer")
  results.each do |shape, cols|
    %w[return pass].each do |dir|
      cells = %w[native json oj mini-racer].map { |c| cols.dig(c, dir) }
      ratios = cells.drop(1).map { |peer| fmt_ratio(ratio(cells[0], peer)) }
      puts format(ROW, LABELS.fetch(shape), dir, *cells.map { |v| fmt_ms(v) }, *ratios)
    end
  end
end

def print_failures(results)
  failures = results.flat_map do |shape, cols|
    cols.flat_map { |col, dirs| dirs.filter_map { |dir, v| "  #{shape} #{dir} #{col}: error: #{v.message}" if v.is_a?(Failure) } }
  end
  puts "", "errors:", *failures unless failures.empty?
end

TARGETS = [
  ["every shape faster than the Oj hop", "oj", LABELS.keys, 1.0],
  ["objects >= 2x faster than the json hop", "json", %w[objects nested], 2.0],
  ["strings, integers and floats >= 3x faster than the json hop", "json", %w[ints floats ascii nonascii], 3.0],
  ["no shape slower than mini-racer", "mini-racer", LABELS.keys, 1.0],
].freeze

def print_targets(results)
  puts
  TARGETS.each do |text, peer, shapes, min|
    rows = shapes.product(%w[return pass]).map { |s, d| [s, d, results.dig(s, "native", d), results.dig(s, peer, d)] }
    compared = rows.select { |_, _, _, p| p.is_a?(Float) }
    missed = compared.filter_map do |s, d, n, p|
      r = ratio(n, p)
      "#{s} #{d} #{r ? fmt_ratio(r) : 'error'}" if r.nil? || r < min
    end
    worst = compared.filter_map { |s, d, n, p| [ratio(n, p), "#{s} #{d}"] if ratio(n, p) }.min_by(&:first)
    notes = []
    notes << "missed: #{missed.join(', ')}" unless missed.empty?
    notes << "worst: #{worst[1]} #{fmt_ratio(worst[0])}" if worst && missed.empty?
    skipped = rows.reject { |_, _, _, p| p.is_a?(Float) }.map { |s, d, _, _| "#{s} #{d}" }
    notes << "not compared (no #{peer} figure): #{skipped.join(', ')}" unless skipped.empty?
    met = missed.empty? && !compared.empty?
    puts format("target %s: %s (%s)", text, met ? "met" : "MISSED", notes.join("; "))
  end
end

oj = begin
  require "oj"
  true
rescue LoadError => e
  warn "Oj unavailable (#{e.message}; on Debian: apt-get install ruby-oj): its column shows n/a"
  false
end

peer = mini_racer_results
ctx = RustyRacer::Isolate.new.context
ctx.eval_void(JS)
results = ruby_results(ctx, ruby_data, oj)
results.each { |shape, cols| cols["mini-racer"] = peer.fetch(shape, {}) }
print_table(results)
print_failures(results)
print_targets(results)

# What Ruby itself needs to make the 10k short strings of the "ascii" shape
# from one buffer (String#split), beside the native return: a floor no
# marshalling can beat by much.
joined = ruby_data["ascii"].join(" ")
split_ms = per_op_ms { joined.split(" ") }
native_ms = per_op_ms { ctx.call("get_ascii") }
puts format("floor: Ruby's String#split into the same 10k strings %.3f ms; native return %.3f ms (%.2fx the floor)",
            split_ms, native_ms, native_ms / split_ms)
