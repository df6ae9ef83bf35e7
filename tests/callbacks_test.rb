# frozen_string_literal: true

require_relative "test_helper"

class CallbacksTest < RustyRacerTest
  def test_attach_and_nested_paths
    ctx = context
    ctx.attach("rubyUpcase", ->(s) { s.upcase })
    ctx.attach("ns.util.twice", ->(x) { x * 2 })
    assert_equal "HI", ctx.eval("rubyUpcase('hi')")
    assert_equal 42, ctx.eval("ns.util.twice(21)")
    assert_equal({ "a" => [1, nil] }, (ctx.attach("echo", ->(*a) { a.first }) || ctx.eval("echo({a: [1, null]})")))
  end

  def test_attach_many_is_one_operation_and_takes_methods
    ctx = context
    log = []
    define_singleton_method(:record) { |x| log << x; x }
    ctx.attach_many("a" => ->(x) { x + 1 }, "b.c" => method(:record))
    assert_equal 2, ctx.eval("a(1)")
    assert_equal "hello", ctx.eval("b.c('hello')")
    assert_equal ["hello"], log
    e = assert_raises(TypeError) { ctx.attach_many("x" => 1) }
    assert_match(/functions must be a Hash whose keys are each a String and values each callable/, e.message)
  end

  def test_attach_onto_a_non_object_raises_and_leaves_it
    ctx = context
    ctx.eval("var n = 5")
    e = assert_raises(RustyRacer::RuntimeError) { ctx.attach("n.f", -> {}) }
    assert_equal "cannot attach n.f: n is number, not an object", e.message
    assert_equal 5, ctx.eval("n")
    assert_raises(RustyRacer::RuntimeError) { ctx.attach("bad path", -> {}) }
  end

  def test_host_namespace_holds_the_helpers_and_attach_paths_stay_global
    ctx = context(host_namespace: "NS")
    assert_equal "function", ctx.eval("typeof NS.drainMicrotasks")
    ctx.attach("twice", ->(x) { x * 2 })
    ctx.attach("NS.fn", -> { 1 })
    ctx.attach("Helpers.greet", -> { "hi" })
    assert_equal [4, 1, "hi", "undefined"], ctx.eval("[twice(2), NS.fn(), Helpers.greet(), typeof NS.twice]")
  end

  def test_without_a_host_namespace_there_is_no_such_global
    ctx = context
    ctx.attach("twice", ->(x) { x * 2 })
    assert_equal [4, false], ctx.eval("[twice(2), Object.keys(globalThis).includes('NS')]")
  end

  def test_a_dotted_host_namespace_creates_nested_objects
    ctx = context(host_namespace: "app.host")
    assert_equal %w[object function undefined],
                 ctx.eval("[typeof app, typeof app.host.drainMicrotasks, typeof globalThis['app.host']]")
  end

  def test_drain_microtasks_runs_the_queued_jobs_from_js
    ctx = context(host_namespace: "NS", microtasks: :explicit)
    assert_equal [0, 1], ctx.eval("let n = 0; Promise.resolve().then(() => n++); const before = n; NS.drainMicrotasks(); [before, n]")
  end

  def test_ruby_exception_is_catchable_in_js
    ctx = context
    ctx.attach("fail", -> { raise ArgumentError, "bad input" })
    assert_equal "bad input", ctx.eval("try { fail() } catch (e) { e.message }")
    assert_equal true, ctx.eval("try { fail() } catch (e) { e instanceof Error }")
  end

  def test_uncaught_ruby_exception_is_reraised_as_itself
    ctx = context
    error_class = Class.new(StandardError)
    ctx.attach("fail", -> { raise error_class, "original" })
    e = assert_raises(error_class) { ctx.eval("fail()") }
    assert_equal "original", e.message
    assert_equal 1, ctx.eval("1"), "usable afterwards"
  end

  def test_exception_whose_message_to_s_and_inspect_raise
    ctx = context
    nasty = Class.new(StandardError) do
      def message = raise("no message")
      def to_s = raise("no to_s")
      def inspect = raise("no inspect")
    end
    ctx.attach("fail", -> { raise nasty })
    assert_equal true, ctx.eval("try { fail(); false } catch (e) { e instanceof Error }")
    assert_raises(nasty) { ctx.eval("fail()") }
  end

  def test_throw_from_a_callback_unwinds_js_and_arrives
    ctx = context
    ctx.attach("leave", -> { throw :done, 7 })
    assert_equal 7, catch(:done) { ctx.eval("leave(); 'not reached'") }
    assert_equal 1, ctx.eval("1")
  end

  def test_reentry_ruby_js_ruby_js
    ctx = context
    ctx.attach("outer", lambda { |x|
      ctx.attach("inner", ->(y) { y * 10 })
      ctx.eval("function compiled(z) { return z + 1 }")
      ctx.eval("inner(#{x}) + compiled(0)")
    })
    assert_equal 31, ctx.eval("outer(3)")
    assert_equal 50, ctx.eval("inner(5)")
  end

  def test_nesting_across_isolates_a_b_a
    a = context
    b = context
    a.attach("toB", ->(x) { b.eval("fromB(#{x})") })
    b.attach("fromB", ->(x) { a.eval("#{x} * 2") + 1 })
    assert_equal 15, a.eval("toB(7)")
    assert_equal 1, a.eval("1")
    assert_equal 2, b.eval("2")
  end

  def test_an_isolate_created_and_used_inside_a_callback
    ctx = context
    ctx.attach("fresh", -> { isolate.context.eval("6 * 7") })
    assert_equal 42, ctx.eval("fresh()")
  end


  def test_dispose_inside_own_callback_raises
    iso = isolate
    ctx = iso.context
    ctx.attach("selfDestruct", -> { iso.dispose })
    e = assert_raises(RustyRacer::Error) { ctx.eval("selfDestruct()") }
    assert_match(/cannot dispose an isolate while one of its operations is running/, e.message)
    refute iso.disposed?
    assert_equal 1, ctx.eval("1")
  end
end
