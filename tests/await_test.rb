# frozen_string_literal: true

require_relative "test_helper"

# Context#eval_await and #call_await: promises awaited from Ruby.
class AwaitTest < RustyRacerTest
  def test_a_fulfilled_promise_gives_its_value
    ctx = context
    assert_equal 42, ctx.eval_await("(async () => { await null; return 42 })()")
    assert_equal({ "a" => [1, 2] }, ctx.eval_await("Promise.resolve({ a: [1, 2] })"))
    assert_equal 7, ctx.eval_await("7")
    ctx.eval("globalThis.later = async (x) => { await new Promise((r) => r()); return x * 2 }")
    assert_equal 10, ctx.call_await("later", 5)
    assert_equal 3, ctx.call_await("Math.max", 1, 3)
  end

  def test_a_rejection_raises_with_the_js_error_and_its_frames
    ctx = context
    error = assert_raises(RustyRacer::RuntimeError) do
      ctx.eval_await("async function fail() { await null; throw new TypeError('nope') }\nfail()", filename: "app.js")
    end
    assert_equal "TypeError: nope", error.message
    assert_match(/app\.js:1/, error.backtrace.first)
    assert_raises(RustyRacer::RuntimeError) { ctx.call_await("Promise.reject", 1) }
  end

  def test_a_promise_nothing_can_settle_raises
    ctx = context
    error = assert_raises(RustyRacer::Error) { ctx.eval_await("new Promise(() => {})") }
    assert_match(/promise still pending with nothing left to run/, error.message)
    assert_equal 2, ctx.eval("1 + 1")
  end

  def test_the_timeout_covers_the_whole_wait
    ctx = context(timeout_ms: 100)
    error = assert_raises(RustyRacer::ScriptTerminatedError) do
      ctx.eval_await("(async () => { for (;;) await null })()")
    end
    assert_match(/timed out after 100 ms/, error.message)
    assert_raises(RustyRacer::ScriptTerminatedError) do
      ctx.eval_await("(async () => { await null; while (true) {} })()", timeout_ms: 30)
    end
    assert_equal 2, ctx.eval("1 + 1")
  end

  def test_explicit_microtasks_are_driven_too_and_callbacks_can_settle
    ctx = context(microtasks: :explicit)
    ctx.attach("fetch", ->(x) { x.upcase })
    assert_equal "HI", ctx.eval_await("Promise.resolve('hi').then(fetch)")
  end
end
