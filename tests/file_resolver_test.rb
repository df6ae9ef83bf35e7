# frozen_string_literal: true

require_relative "test_helper"
require "tmpdir"
require "fileutils"

# RustyRacer::FileResolver and Context#import: module graphs from disk.
# Records the files File.read reads while a test asks (the resolver reads
# module sources with it).
File.singleton_class.prepend(Module.new do
  def read(path, *rest, **kw)
    Thread.current[:rr_files_read]&.push(path)
    super
  end
end)

class FileResolverTest < RustyRacerTest
  def setup
    super
    @dir = File.realpath(Dir.mktmpdir)
    @app = File.join(@dir, "app")
    write("app/main.mjs", <<~JS)
      import { helper } from "./lib/helper.mjs";
      import data from "./data.json" with { type: "json" };
      export const out = helper(data.n);
      export const url = import.meta.url;
      export const lazy = () => import("./lib/lazy.mjs").then(m => m.default);
    JS
    write("app/lib/helper.mjs", 'import { base } from "../base.mjs"; export function helper(n) { return n + base }')
    write("app/base.mjs", "globalThis.baseLoads = (globalThis.baseLoads || 0) + 1; export const base = 40")
    write("app/data.json", '{"n": 2}')
    write("app/lib/lazy.mjs", 'import { base } from "/' + @app.delete_prefix("/") + '/base.mjs"; export default "lazy " + base')
    write("outside/secret.mjs", "export default 'secret'")
  end

  def teardown
    super
    FileUtils.rm_rf(@dir)
  end

  def write(relative, text)
    path = File.join(@dir, relative)
    FileUtils.mkdir_p(File.dirname(path))
    File.write(path, text)
  end

  def test_import_loads_a_graph_from_disk
    ns = context.import(File.join(@app, "main.mjs"))
    assert_equal 42, ns["out"]
    assert_equal RustyRacer::FileResolver.url(File.join(@app, "main.mjs")), ns["url"]
    assert_equal "file://#{@app}/main.mjs", ns["url"]
  end

  def test_the_resolver_serves_instantiate_and_import_and_compiles_each_file_once
    iso = isolate
    ctx = iso.context
    resolver = RustyRacer::FileResolver.new(ctx, root: @app)
    iso.dynamic_import_resolver = resolver
    main = resolver.call(File.join(@app, "main.mjs"))
    assert_same main, resolver.call("./main.mjs", "file://#{@app}/lib/../x.mjs")
    main.instantiate(&resolver).evaluate
    ctx.eval("var got; import('./lib/lazy.mjs').then(v => got = v.default)")
    assert_equal "lazy 40", ctx.eval("got")
    assert_equal 1, ctx.eval("baseLoads")
    other = iso.create_context
    other.eval("var got2; import('./lib/lazy.mjs').then(m => got2 = m.default)")
    assert_equal "lazy 40", other.eval("got2")
    assert_equal 1, other.eval("baseLoads") # its own copy, in its own realm
  end

  def test_what_leaves_the_root_is_refused_before_it_is_read
    File.symlink(File.join(@dir, "outside/secret.mjs"), File.join(@app, "link.mjs"))
    resolver = RustyRacer::FileResolver.new(context, root: @app)
    read = Thread.current[:rr_files_read] = []
    ["../outside/secret.mjs", "./lib/../../outside/secret.mjs", "./link.mjs", "#{@dir}/outside/secret.mjs",
     "file://#{@dir}/outside/secret.mjs"].each do |specifier|
      error = assert_raises(RustyRacer::Error) { resolver.call(specifier, "file://#{@app}/main.mjs") }
      assert_match(/refused to import .* is outside the resolver's root/, error.message)
    end
    resolver.call("./base.mjs", "file://#{@app}/main.mjs")
    Thread.current[:rr_files_read] = nil
    assert_equal [File.join(@app, "base.mjs")], read # the recorder sees what is read

    mod = context.compile_module("import '../outside/secret.mjs'", filename: "file://#{@app}/x.mjs")
    assert_raises(RustyRacer::Error) { mod.instantiate(&resolver) }
  end

  def test_missing_files_and_bare_specifiers
    resolver = RustyRacer::FileResolver.new(context, root: @app)
    assert_nil resolver.call("./nope.mjs", "file://#{@app}/main.mjs")
    error = assert_raises(RustyRacer::Error) { resolver.call("lodash") }
    assert_match(/not bare names/, error.message)
    error = assert_raises(RustyRacer::RuntimeError) { context.import(File.join(@app, "nope.mjs")) }
    assert_match(/no such file/, error.message)
    assert_nil resolver.call("./lib")
    assert_raises(TypeError) { RustyRacer::FileResolver.new(nil, root: @app) }
    write("app/proto.json", '{"__proto__": {"polluted": true}, "own": 1}')
    proto = resolver.call("./proto.json").instantiate { nil }.tap(&:evaluate).namespace["default"]
    assert_equal({ "__proto__" => { "polluted" => true }, "own" => 1 }, proto)
    write("app/bad.json", "{ nope")
    assert_raises(JSON::ParserError) { resolver.call("./bad.json") }
  end

  def test_the_cli_runs_a_module_graph
    write("app/run.mjs", 'import { helper } from "./lib/helper.mjs"; print(helper(1)); print((await import("./lib/lazy.mjs")).default)')
    cli = File.expand_path("../bin/rusty_racer", __dir__)
    out = IO.popen([RbConfig.ruby, cli, File.join(@app, "run.mjs")], err: %i[child out], &:read)
    assert_equal "41\nlazy 40\n", out
    FileUtils.cp(File.join(@app, "run.mjs"), File.join(@app, "run.js"))
    out = IO.popen([RbConfig.ruby, cli, "--module", File.join(@app, "run.js")], err: %i[child out], &:read)
    assert_equal "41\nlazy 40\n", out
  end
end
