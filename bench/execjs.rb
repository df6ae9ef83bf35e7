# frozen_string_literal: true

# bin/bench execjs: ExecJS through RustyRacer::ExecJSRuntime (in process)
# against ExecJS's Node runtime (a node process per call), on the npm
# libraries Rails apps run through ExecJS (bin/setup installs them into the
# user cache dir; missing ones are skipped with a message). Per library:
# compiling the context, then one call, median of a few; the ratio is the
# speed-up of a call.
#
#   bin/bench execjs
$LOAD_PATH.unshift(File.expand_path("../gem/lib", __dir__))
require "rusty_racer/execjs"
require_relative "timing"

NPM = File.join(ENV.fetch("XDG_CACHE_HOME", File.join(Dir.home, ".cache")), "rusty_racer/npm/node_modules")
MINIFY_ME = "function add(first, second) { var total = first + second; return total }\n" \
            "console.log(add(1, 2), [1, 2, 3].map(function (x) { return x * 2 }))"

def uglify_source(node_js)
  dir = File.dirname(node_js)
  files = File.read(node_js)[/FILES = \[(.*?)\]/m, 1].scan(/"([^"]+)"/).flatten
  body = files.map { |f| File.read(File.expand_path(f, dir)) }.join("\n\n")
  "var UglifyJS = (function () { var exports = {}; var domprops = #{File.read(File.join(dir, "domprops.json"))};\n" \
    "#{body}\nreturn exports })();"
end

LIBRARIES = [
  ["coffeescript", "coffeescript/lib/coffeescript-browser-compiler-legacy/coffeescript.js", "CoffeeScript.compile",
   "square = (x) -> x * x\nlist = [1..5]\nsquares = (square n for n in list)\n"],
  ["handlebars", "handlebars/dist/handlebars.js", "Handlebars.precompile", "{{#each people}}<li>{{name}}</li>{{/each}}"],
  ["lodash", "lodash/lodash.js", "(function (t) { return _.template(t).source })", "<b><%- user %></b>"],
  ["terser", "terser/dist/bundle.min.js", "(function (src) { return Terser.minify_sync(src).code })", MINIFY_ME],
  ["uglify-js", "uglify-js/tools/node.js", "(function (src) { return UglifyJS.minify(src).code })", MINIFY_ME],
].freeze

node = ExecJS::Runtimes::Node
abort "node is not installed: nothing to compare with" unless node.available?
ours = RustyRacer::ExecJSRuntime.new
puts "ExecJS: RustyRacer (in process) vs Node (a process per call); compile, then one call (median of 5)"
puts format("  %-13s %12s %12s %12s %12s %9s", "library", "ours compile", "ours call", "node compile", "node call", "call")
LIBRARIES.each do |name, file, function, input|
  path = File.join(NPM, file)
  unless File.exist?(path)
    puts "  #{name}: not installed (bin/setup installs it from npm into #{NPM})"
    next
  end
  source = name == "uglify-js" ? uglify_source(path) : File.read(path)
  row = [ours, node].flat_map do |runtime|
    ctx = nil
    compile = median_ms(5) { ctx = runtime.compile(source) }
    result = nil
    call = median_ms(5) { result = ctx.call(function, input) }
    raise "#{name} gave nothing" if result.nil? || result.empty?

    [compile, call]
  end
  puts format("  %-13s %9.2f ms %9.2f ms %9.2f ms %9.2f ms %8.0fx", name, *row, row[3] / row[1])
end
