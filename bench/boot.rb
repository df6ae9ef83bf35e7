# frozen_string_literal: true

# bin/bench boot: what a warm start costs.
#   - An isolate + context with ~760 KB of real libraries ready (lodash and
#     handlebars from npm: bin/setup installs them into the user cache dir;
#     skipped with a message when missing), booted three ways: from a
#     snapshot baked with them, from a snapshot with them as a baked ES
#     module, and by evaluating them. Target: the snapshot >= 10x faster.
#   - Per request: Context#reset on a warm isolate against Isolate.new (from
#     the same snapshot) + context. Target: reset >= 20x faster.
#   - V8's own floor for the same boots (bench/floor through the v8 crate,
#     no Ruby, same archive, V8's default flags, no detailed error stacks):
#     what the targets ask of V8 itself.
#   - A 64 MiB buffer moved between isolates by transfer, against copying
#     it through Ruby (a binary String out of one, a Uint8Array into the other).

$LOAD_PATH.unshift(File.expand_path("../gem/lib", __dir__))
require "rusty_racer"

require "json"
require_relative "timing"

def row(label, ms, base = nil)
  ratio = base ? format("  %6.1fx faster", base / ms) : ""
  puts format("  %-44s %9.3f ms%s", label, ms, ratio)
end

npm = File.join(ENV.fetch("XDG_CACHE_HOME", File.join(Dir.home, ".cache")), "rusty_racer/npm/node_modules")
files = [File.join(npm, "lodash/lodash.js"), File.join(npm, "handlebars/dist/handlebars.js")]
USE = "Handlebars.compile('{{name}}!')({ name: _.capitalize('hi') })"
if files.all? { |f| File.exist?(f) }
  library = files.map { |f| File.read(f) }.join(";\n")
  plain = RustyRacer::Snapshot.new(library)
  warm = RustyRacer::Snapshot.new(library).warmup!(USE)
  # UMD bundles expect a global `this`, which a module's top level lacks.
  baked_module = RustyRacer::Snapshot.new(modules: { "/lib.js" => "(function () {\n#{library}\n}).call(globalThis);" },
                                          entry: "/lib.js")
  check = RustyRacer::Isolate.new(snapshot: plain)
  raise "the snapshot lost the libraries" unless check.context.eval(USE) == "Hi!"

  check.dispose
  raise "the module snapshot lost the libraries" unless RustyRacer::Isolate.new(snapshot: baked_module).context.eval(USE) == "Hi!"

  puts "boot with lodash + handlebars (#{(library.bytesize / 1e3).round} KB) ready, then one render, median of 15"
  evaluated = median_ms(15) do
    iso = RustyRacer::Isolate.new
    iso.context.eval_void(library)
    iso.context.eval(USE)
    iso.dispose
  end
  row("Isolate.new + evaluating the libraries", evaluated)
  [["Isolate.new(snapshot:) (baked script)", plain], ["Isolate.new(snapshot:) (baked script, warmup!)", warm],
   ["Isolate.new(snapshot:) (baked ES module)", baked_module]].each do |label, snapshot|
    ms = median_ms(15) do
      iso = RustyRacer::Isolate.new(snapshot: snapshot)
      iso.context.eval(USE)
      iso.dispose
    end
    row(label, ms, evaluated)
  end
  snapshot_ms = median_ms(15) do
    iso = RustyRacer::Isolate.new(snapshot: warm)
    iso.context.eval(USE)
    iso.dispose
  end
  puts format("  target: snapshot >= 10x faster than evaluating: %s (%.1fx)",
              evaluated / snapshot_ms >= 10 ? "met" : "MISSED", evaluated / snapshot_ms)

  puts "per request, then one render (median of 51)"
  warm_isolate = RustyRacer::Isolate.new(snapshot: warm)
  ctx = warm_isolate.context
  reset = median_ms(51) do
    ctx.reset
    ctx.eval(USE)
  end
  fresh = median_ms(51) do
    iso = RustyRacer::Isolate.new(snapshot: warm)
    iso.context.eval(USE)
    iso.dispose
  end
  row("Isolate.new(snapshot:) + context", fresh)
  row("Context#reset on a warm isolate", reset, fresh)
  puts format("  target: reset >= 20x faster: %s (%.1fx)", fresh / reset >= 20 ? "met" : "MISSED", fresh / reset)
  warm_isolate.dispose

  if (floor_bin = ENV["RR_BENCH_FLOOR"])
    floor = JSON.parse(IO.popen({ "BOOT_USE" => USE }, [floor_bin, "boot", *files], &:read))
    puts "the v8 floor: the same through the v8 crate directly (no Ruby; V8's own snapshot of the same code)"
    [["evaluating the libraries", "evaluated", evaluated], ["booting from the warm snapshot", "booted", snapshot_ms],
     ["a fresh context from the snapshot (reset)", "context_render", reset]].each do |label, key, ours|
      puts format("  %-44s %9.3f ms   rusty_racer %.2fx of it", label, floor[key], ours / floor[key])
    end
    puts format("  V8 itself: snapshot %.1fx faster than evaluating, a fresh context %.1fx faster than a fresh " \
                "isolate (%.3f ms of it with no render)",
                floor["evaluated"] / floor["booted"], floor["booted"] / floor["context_render"], floor["context_only"])
  end
else
  puts "lodash/handlebars not found under #{npm}: run bin/setup (it installs them from npm into the cache dir)"
end

puts "a 64 MiB buffer between two isolates (median of 5)"
a = RustyRacer::Isolate.new(host_namespace: "NS").context
b = RustyRacer::Isolate.new(host_namespace: "NS").context
moved = median_ms(5) do
  token = a.eval("NS.transferOut(new Uint8Array(64 << 20))")
  b.eval("NS.transferIn(#{token}).byteLength")
end
b.eval_void("globalThis.size = (bytes) => bytes.length")
copied = median_ms(5) do
  bytes = a.eval("new Uint8Array(64 << 20)")
  b.call("size", bytes)
end
row("copied through Ruby (binary String out, Uint8Array in)", copied)
row("NS.transferOut + NS.transferIn", moved, copied)
