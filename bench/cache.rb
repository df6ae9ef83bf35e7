# frozen_string_literal: true

# bin/bench cache: what a bytecode cache saves on a large real bundle, and
# what loading a module graph from disk costs.
#   - typescript's lib/typescript.js (9 MB, from npm: bin/setup installs it
#     into the user cache dir; skipped with a message when missing), compiled
#     and run once in a fresh isolate: cold, with a cold cache (made at
#     compile time) and with a warm cache (made after a run, holding the
#     functions that ran). Target: the warm cache >= 3x faster than cold.
#   - A graph of 100 modules on disk (each imports the next) loaded with
#     Context#import: compile + instantiate + evaluate, per module.
# Times are medians of several runs, each in a fresh isolate.

$LOAD_PATH.unshift(File.expand_path("../gem/lib", __dir__))
require "rusty_racer"
require "tmpdir"

require_relative "timing"

def fresh
  iso = RustyRacer::Isolate.new
  yield iso.context
ensure
  iso&.dispose
end

cache_dir = ENV.fetch("XDG_CACHE_HOME", File.join(Dir.home, ".cache"))
bundle = File.join(cache_dir, "rusty_racer/npm/node_modules/typescript/lib/typescript.js")
if File.exist?(bundle)
  source = File.read(bundle)
  # Touches the compiler so the warm cache has something beyond the top level.
  use = "ts.transpileModule('const x: number = 1; export default x', {}).outputText.length"
  cold_cache = warm_cache = nil
  fresh { |ctx| cold_cache = ctx.compile(source, filename: "typescript.js", produce_cache: true).cached_data }
  fresh do |ctx|
    script = ctx.compile(source, filename: "typescript.js")
    script.run_void
    ctx.eval(use)
    warm_cache = script.create_code_cache
  end
  rows = {
    "cold (no cache)" => nil,
    "cold cache (made at compile)" => cold_cache,
    "warm cache (made after a run)" => warm_cache,
  }.map do |label, blob|
    rejected = false
    ms = median_ms(5) do
      fresh do |ctx|
        script = ctx.compile(source, filename: "typescript.js", cached_data: blob)
        rejected ||= script.cache_rejected?
        script.run_void
      end
    end
    [label, ms, blob&.bytesize, rejected]
  end
  cold = rows.first[1]
  puts "typescript.js (#{(source.bytesize / 1e6).round(1)} MB): compile + first run in a fresh isolate, median of 5"
  rows.each do |label, ms, bytes, rejected|
    size = bytes ? format("%5.1f MB cache", bytes / 1e6) : "              "
    note = rejected ? "  (REJECTED)" : ""
    puts format("  %-30s %8.1f ms  %s  %5.2fx faster than cold%s", label, ms, size, cold / ms, note)
  end
  warm_ratio = cold / rows.last[1]
  puts format("  target: warm cache >= 3x faster than cold: %s (%.2fx)", warm_ratio >= 3 ? "met" : "MISSED", warm_ratio)
else
  puts "typescript.js not found at #{bundle}: run bin/setup (it installs typescript from npm into the cache dir)"
end

Dir.mktmpdir do |dir|
  count = 100
  count.times do |i|
    body = i + 1 < count ? "import { v as next } from './m#{i + 1}.mjs';\nexport const v = next + 1;" : "export const v = 0;"
    File.write(File.join(dir, "m#{i}.mjs"), "#{body}\nexport function f#{i}() { return #{i} }\n")
  end
  entry = File.join(dir, "m0.mjs")
  value = nil
  ms = median_ms(7) { fresh { |ctx| value = ctx.import(entry)["v"] } }
  raise "graph evaluated to #{value.inspect}" unless value == count - 1

  puts "#{count}-module graph from disk (Context#import): #{format('%.2f', ms)} ms, " \
       "#{format('%.1f', ms * 1000 / count)} us per module (read + compile + link + evaluate)"
end
