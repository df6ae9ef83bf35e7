# frozen_string_literal: true

require_relative "test_helper"
require "rusty_racer/execjs"

# RustyRacer::ExecJSRuntime against ExecJS's own contract, and against its
# Node runtime on real libraries.
class ExecJSTest < Minitest::Test
  NPM = File.join(ENV.fetch("XDG_CACHE_HOME", File.join(Dir.home, ".cache")), "rusty_racer/npm/node_modules")

  def setup
    @runtime = RustyRacer::ExecJSRuntime.new
  end

  def test_the_runtime_and_the_facade
    assert_equal "RustyRacer (V8)", @runtime.name
    assert_predicate @runtime, :available?
    previous = ExecJS.runtime
    ExecJS.runtime = @runtime
    assert_equal 2, ExecJS.eval("1 + 1")
    assert_equal 3, ExecJS.exec("return 1 + 2")
    assert_equal 5, ExecJS.compile("function f(x) { return x + 1 }").call("f", 4)
  ensure
    ExecJS.runtime = previous
  end

  def test_values_cross_as_json_does_with_symbols_as_strings
    ctx = @runtime.compile("var a = { b: { id: function (x) { return x } } }; // trailing comment")
    assert_equal [1, "a", nil, nil, nil, "Symbol(s)", { "k" => 1.5 }],
                 ctx.exec("return [1, 'a', null, undefined, function () {}, Symbol('s'), { k: 1.5 }]")
    assert_nil ctx.eval("   ")
    assert_nil ctx.eval("undefined")
    assert_equal "ok \u{1F600} \u00e9", ctx.call("a.b.id", "ok \u{1F600} \u00e9")
    assert_equal Encoding::UTF_8, ctx.eval("'x'").encoding
    assert_equal 600_000, ctx.eval("'y'.repeat(600000)").size
    assert_equal 9, ctx.call("(function (x) { return this === globalThis && x })", 9)
    assert_equal 1, ctx.eval("1 // a comment at the very end")
    assert_equal 4, ctx.exec("return 4 // a comment at the very end")
    assert_equal 2, @runtime.compile("1", foo: :bar).eval("2") # extra options are accepted
  end

  def test_a_fresh_context_has_only_ecmascript
    names = %w[console setTimeout setInterval setImmediate clearTimeout clearInterval clearImmediate global
               process module exports require self]
    ctx = @runtime.compile("")
    names.each do |name|
      assert_equal "undefined", ctx.eval("typeof #{name}"), name
      refute ctx.eval("Object.prototype.hasOwnProperty.call(globalThis, #{name.dump})"), name
    end
  end

  def test_errors_are_execjs_errors_with_execjs_frames
    error = assert_raises(ExecJS::RuntimeError) { @runtime.eval("(") }
    assert_match(/SyntaxError/, error.message)
    assert_match(/\(execjs\)/, error.backtrace.first)
    error = assert_raises(ExecJS::ProgramError) { @runtime.exec("throw new TypeError('boom')") }
    assert_equal "TypeError: boom", error.message
    assert_match(/\(execjs\):\d+/, error.backtrace.first)
    assert_raises(ExecJS::ProgramError) { @runtime.compile("throw new Error('in source')") }
    assert_raises(Encoding::UndefinedConversionError) { @runtime.eval("'\xff'".b) }
  end

  def test_atob_and_btoa_as_node_has_them
    node = ExecJS::Runtimes::Node
    skip "node is not installed" unless node.available?
    probe = "[btoa('hi\\u00ff'), btoa(''), btoa('ab'), atob(' aGk=\\n'), atob('YQ'), " \
            "(() => { try { atob('*') } catch (e) { return e.name } })(), " \
            "(() => { try { btoa('\\u0100') } catch (e) { return e.name } })()]"
    assert_equal node.eval(probe), @runtime.eval(probe)
  end

  def test_a_context_serves_every_thread
    ctx = @runtime.compile("function add(x, y) { return x + y }")
    assert_equal [3, 7, 11], [[1, 2], [3, 4], [5, 6]].map { |x, y| Thread.new { ctx.call("add", x, y) }.value }
  end

  # file under NPM => [function to call, its input]; a file's source is
  # read as it is, except where SOURCES builds it.
  MINIFY_ME = "function add(first, second) { var total = first + second; return total }\n" \
              "console.log(add(1, 2), [1, 2, 3].map(function (x) { return x * 2 }))"

  LIBRARIES = {
    "coffeescript/lib/coffeescript-browser-compiler-legacy/coffeescript.js" =>
      ["CoffeeScript.compile", "square = (x) -> x * x\nlist = [1..5]\nsquares = (square n for n in list)\n"],
    "handlebars/dist/handlebars.js" => ["Handlebars.precompile", "{{#each people}}<li>{{name}}: {{age}}</li>{{/each}}"],
    "lodash/lodash.js" => ["(function (t) { return _.template(t).source })", "<b><%- user %></b><% if (x) { %>x<% } %>"],
    "terser/dist/bundle.min.js" =>
      ["(function (src) { return Terser.minify_sync(src, { mangle: { toplevel: true } }).code })", MINIFY_ME],
    "uglify-js/tools/node.js" => ["(function (src) { return UglifyJS.minify(src, { toplevel: true }).code })", MINIFY_ME],
    # Fails the same way on both (it reads `process.env` at load).
    "@babel/standalone/babel.min.js" => ["(function (src) { return Babel.transform(src, {}).code })", "let a = 1"],
  }.freeze

  # uglify-js ships for Node only: its lib files concatenated, as the
  # uglifier gem does, with `exports` and `domprops` made in the wrapper.
  def self.uglify_source(node_js)
    dir = File.dirname(node_js)
    files = File.read(node_js)[/FILES = \[(.*?)\]/m, 1].scan(/"([^"]+)"/).flatten
    body = files.map { |f| File.read(File.expand_path(f, dir)) }.join("\n\n")
    domprops = File.read(File.join(dir, "domprops.json"))
    "var UglifyJS = (function () { var exports = {}; var domprops = #{domprops};\n#{body}\nreturn exports })();"
  end

  SOURCES = { "uglify-js/tools/node.js" => method(:uglify_source) }.freeze

  def outcome
    [:ok, yield]
  rescue ExecJS::Error => e
    [e.class, e.message]
  end

  def test_real_libraries_give_what_the_node_runtime_gives
    node = ExecJS::Runtimes::Node
    skip "node is not installed" unless node.available?
    LIBRARIES.each do |file, (function, input)|
      path = File.join(NPM, file)
      skip "#{file} is not installed: bin/setup installs it from npm into #{NPM}" unless File.exist?(path)
      source = SOURCES.fetch(file, File.method(:read)).call(path)
      ours = outcome { @runtime.compile(source).call(function, input) }
      theirs = outcome { node.compile(source).call(function, input) }
      assert_equal theirs, ours, file
    end
  end
end
