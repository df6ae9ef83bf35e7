# frozen_string_literal: true

require_relative "test_helper"

class ErrorsTest < RustyRacerTest
  def test_hierarchy
    # Ruby's RuntimeError, so `rescue RuntimeError` written for upstream rusty_racer keeps working.
    assert_equal ::RuntimeError, RustyRacer::Error.superclass
    assert_equal RustyRacer::Error, RustyRacer::EvalError.superclass
    %i[ParseError RuntimeError ScriptTerminatedError V8OutOfMemoryError].each do |name|
      assert_equal RustyRacer::EvalError, RustyRacer.const_get(name).superclass, name
    end
    %i[SnapshotError PlatformAlreadyInitialized DisposedError InternalError WrongThreadError].each do |name|
      assert_equal RustyRacer::Error, RustyRacer.const_get(name).superclass, name
    end
  end

  def test_use_after_dispose_is_rescued_as_a_ruby_runtime_error
    iso = isolate
    iso.dispose
    rescued = begin
      iso.context
    rescue ::RuntimeError => e
      e
    end
    assert_kind_of RustyRacer::DisposedError, rescued
  end

  def test_runtime_error_message_and_backtrace
    ctx = context
    e = assert_raises(RustyRacer::RuntimeError) { ctx.eval("throw new Error('boom')", filename: "app.js") }
    assert_equal "Error: boom", e.message
    assert_equal ["app.js:1:7"], e.backtrace
    e = assert_raises(RustyRacer::RuntimeError) do
      ctx.eval("function fn() { throw new Error('inner') }\nfn()", filename: "app.js")
    end
    assert_equal ["app.js:1:23:in 'fn'", "app.js:2:1"], e.backtrace
    e = assert_raises(RustyRacer::RuntimeError) { ctx.eval("function fn() {   throw new Error('x') }; fn()", filename: "app.js") }
    assert_equal "app.js:1:25:in 'fn'", e.backtrace.first
  end

  def test_multi_line_messages_stay_out_of_the_backtrace
    e = assert_raises(RustyRacer::RuntimeError) { context.eval("throw new Error('line one\\nline two')", filename: "m.js") }
    assert_equal "Error: line one\nline two", e.message
    assert_equal ["m.js:1:7"], e.backtrace
  end

  def test_throwing_a_non_error
    e = assert_raises(RustyRacer::RuntimeError) { context.eval("throw 42") }
    assert_equal "42", e.message
    assert_equal [], e.backtrace
  end

  def test_exception_whose_to_string_throws
    e = assert_raises(RustyRacer::RuntimeError) { context.eval("throw { toString() { throw new Error('no') } }") }
    assert_match(/toString\(\) threw/, e.message)
  end

  def test_parse_error_names_file_and_line
    ctx = context
    e = assert_raises(RustyRacer::ParseError) { ctx.eval("x = 1;\nlet y = ;", filename: "boot.js") }
    assert_equal "SyntaxError: Unexpected token ';' at boot.js:2", e.message
    e = assert_raises(RustyRacer::ParseError) { ctx.eval("let y = ;", filename: "boot.js") }
    assert_equal "SyntaxError: Unexpected token ';' at boot.js:1", e.message
    assert_equal 3, ctx.eval("1 + 2"), "usable after"
  end

  def test_every_error_raised_by_the_extension_is_a_rusty_racer_error
    ctx = context
    [
      -> { ctx.eval("throw 1") },
      -> { ctx.eval("(") },
      -> { ctx.eval("for(;;){}", timeout_ms: 10) },
      -> { ctx.call("nope") },
      -> { ctx.call("id", Object.new) },
      -> { ctx.eval("var n = 1"); ctx.attach("n.f", -> {}) },
    ].each { |op| assert_raises(RustyRacer::Error) { op.call } }
  end

  def test_out_of_memory_is_an_error_and_the_isolate_survives
    ctx = context(memory_limit: 32 * 1024 * 1024)
    assert_raises(RustyRacer::V8OutOfMemoryError) do
      ctx.eval("const a = []; for (;;) a.push(new Array(100000).fill(1.5))")
    end
    assert_equal 2, ctx.eval("1 + 1")
  end
end
