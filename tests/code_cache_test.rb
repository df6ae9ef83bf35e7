# frozen_string_literal: true

require_relative "test_helper"
require "tmpdir"

# Bytecode caches: produced at compile time or after a run, consumed in
# another isolate or process, rejected when stale, foreign or damaged.
class CodeCacheTest < RustyRacerTest
  SOURCE = <<~JS
    function fib(n) { return n < 2 ? n : fib(n - 1) + fib(n - 2) }
    function inner() { return [1, 2, 3].map(x => x * 2).join(",") }
    fib(15) + ":" + inner()
  JS

  def test_a_cache_round_trips_into_another_isolate
    script = context.compile(SOURCE, filename: "lib.js", produce_cache: true)
    blob = script.cached_data
    assert_equal Encoding::ASCII_8BIT, blob.encoding
    assert_operator blob.bytesize, :>, 0
    refute_predicate script, :cache_rejected?
    used = context.compile(SOURCE, filename: "lib.js", cached_data: blob)
    refute_predicate used, :cache_rejected?
    assert_equal "610:2,4,6", used.run
    assert_nil context.compile(SOURCE).cached_data
  end

  def test_a_warm_cache_holds_the_functions_that_ran
    script = context.compile(SOURCE, produce_cache: true)
    cold = script.cached_data
    script.run
    warm = script.create_code_cache
    assert_operator warm.bytesize, :>, cold.bytesize
    consumer = context.compile(SOURCE, cached_data: warm, eager: true)
    refute_predicate consumer, :cache_rejected?
    assert_equal "610:2,4,6", consumer.run
  end

  def test_stale_foreign_and_damaged_caches_are_rejected_and_the_source_still_runs
    blob = context.compile(SOURCE, produce_cache: true).cached_data
    edited = SOURCE.sub("x * 2", "x * 3") # the same length: V8 alone would take the cache
    assert_equal SOURCE.bytesize, edited.bytesize
    module_blob = context.compile_module("export default 1", produce_cache: true).cached_data
    [
      [edited, blob, "610:3,6,9"],
      [SOURCE, blob.byteslice(0, blob.bytesize / 2), "610:2,4,6"],
      [SOURCE, "garbage".b, "610:2,4,6"],
      [SOURCE, "".b, "610:2,4,6"],
      [SOURCE, blob.dup.tap { |b| b.setbyte(b.bytesize - 1, b.getbyte(-1) ^ 0x40) }, "610:2,4,6"],
      [SOURCE, blob.dup.tap { |b| b.setbyte(40, b.getbyte(40) ^ 0x01) }, "610:2,4,6"],
      [SOURCE, module_blob, "610:2,4,6"],
      [SOURCE, Random.new(7).bytes(4096), "610:2,4,6"],
    ].each do |source, cache, expected|
      script = context.compile(source, cached_data: cache)
      assert_predicate script, :cache_rejected?
      assert_equal expected, script.run
    end
  end

  def test_cached_data_must_be_a_binary_string
    error = assert_raises(EncodingError) { context.compile("1", cached_data: "text") }
    assert_match(/binary \(ASCII-8BIT\) String \(got a UTF-8 String\)/, error.message)
    assert_raises(TypeError) { context.compile("1", cached_data: 12) }
    assert_raises(EncodingError) { context.compile_module("1", cached_data: "x".encode("UTF-16LE")) }
  end

  def test_eager_compiles_up_front_and_is_ignored_when_consuming
    eager = context.compile(SOURCE, eager: true, produce_cache: true)
    lazy = context.compile(SOURCE, produce_cache: true)
    assert_operator eager.cached_data.bytesize, :>, lazy.cached_data.bytesize
    consumed = context.compile(SOURCE, cached_data: eager.cached_data, eager: true)
    refute_predicate consumed, :cache_rejected?
    assert_equal "610:2,4,6", consumed.run
  end

  def test_a_cache_is_consumed_in_another_process
    blob = context.compile(SOURCE, produce_cache: true).cached_data
    path = File.join(Dir.mktmpdir, "lib.cache")
    File.binwrite(path, blob)
    out, status = run_child(<<~RUBY)
      s = RustyRacer::Isolate.new.context.compile(#{SOURCE.dump}, cached_data: File.binread(#{path.dump}))
      puts s.cache_rejected?, s.run
    RUBY
    assert status.success?, out
    assert_equal "false\n610:2,4,6\n", out
  end

  def test_module_caches
    src = "export function twice(x) { return x * 2 }\nexport const four = twice(2);"
    mod = context.compile_module(src, filename: "m.mjs", produce_cache: true)
    cold = mod.cached_data
    mod.instantiate { nil }.evaluate
    warm = mod.create_code_cache
    assert_operator warm.bytesize, :>, cold.bytesize
    used = context.compile_module(src, filename: "m.mjs", cached_data: warm)
    refute_predicate used, :cache_rejected?
    used.instantiate { nil }.evaluate
    assert_equal 4, used.namespace["four"]
    assert_predicate context.compile_module(src + " ", cached_data: warm), :cache_rejected?
    errored = context.compile_module("function f() { return 1 }\nf(); throw new Error('x')")
    errored.instantiate { nil }
    assert_raises(RustyRacer::RuntimeError) { errored.evaluate }
    assert_equal :errored, errored.status
    assert_kind_of String, errored.create_code_cache
  end

  def test_producing_a_cache_inside_a_callback_is_refused
    ctx = context
    script = ctx.compile("1")
    ctx.attach("warm", -> { script.create_code_cache })
    ctx.attach("cold", -> { ctx.compile("2", produce_cache: true) })
    [["warm()", /code cache inside a callback/], ["cold()", /code cache inside a callback/]].each do |js, message|
      error = assert_raises(RustyRacer::Error) { ctx.eval(js) }
      assert_match message, error.message
    end
    assert_kind_of String, script.create_code_cache
  end

  def test_the_version_tag
    tag = RustyRacer.cached_data_version_tag
    assert_kind_of Integer, tag
    refute_equal 0, tag
    assert_equal tag, RustyRacer.cached_data_version_tag
  end
end
