# frozen_string_literal: true

require_relative "test_helper"

# Promise jobs: when they run, and that they obey the operation's limits.
class MicrotasksTest < RustyRacerTest
  def test_auto_drains_before_the_result_is_read
    assert_equal({ "a" => 2 }, context.eval("let x = {a: 1}; Promise.resolve().then(() => x.a = 2); x"))
  end

  def test_a_runaway_job_is_terminated_by_the_deadline
    ctx = context(timeout_ms: 150)
    error = assert_raises(RustyRacer::ScriptTerminatedError) do
      ctx.eval("Promise.resolve().then(() => { while (true) {} }); 42")
    end
    assert_match(/timed out after 150 ms/, error.message)
    assert_equal 2, ctx.eval("1 + 1")
  end

  def test_a_self_requeueing_job_is_terminated_and_does_not_outlive_its_operation
    ctx = context
    assert_raises(RustyRacer::ScriptTerminatedError) do
      ctx.eval("globalThis.runs = 0; function again() { runs++; Promise.resolve().then(again) }; again(); 1",
               timeout_ms: 100)
    end
    runs = ctx.eval("runs")
    assert_operator runs, :>, 1
    # Without a deadline now: the jobs of the stopped operation are gone.
    assert_equal runs, ctx.eval("runs")
  end

  def test_a_stopped_script_leaves_no_jobs_behind
    ctx = context
    assert_raises(RustyRacer::ScriptTerminatedError) do
      ctx.eval("(async () => { for await (const x of (async function*() { while (true) yield 1 })()) {} })();" \
               "while (true) {}", timeout_ms: 100)
    end
    assert_equal 42, ctx.eval("6 * 7")
  end

  def test_out_of_memory_in_a_job_raises
    ctx = context(memory_limit: 20_000_000)
    assert_raises(RustyRacer::V8OutOfMemoryError) do
      ctx.eval("Promise.resolve().then(() => { const a = []; while (true) a.push(new Array(1000)) }); 42")
    end
    assert_equal 2, ctx.eval("1 + 1")
  end

  def test_nested_operations_do_not_drain
    ctx = context
    ctx.attach("cb", proc {
      ctx.eval("Promise.resolve().then(() => log.push('job'))")
      ctx.eval("log.push('nested')")
    })
    assert_equal %w[nested after job], ctx.eval("globalThis.log = []; cb(); log.push('after'); log")
  end

  def test_explicit_leaves_jobs_to_perform_microtask_checkpoint
    iso = isolate(microtasks: :explicit)
    ctx = iso.context
    ctx.eval("globalThis.n = 0; Promise.resolve().then(() => n++)")
    assert_equal 0, ctx.eval("n")
    assert_nil iso.perform_microtask_checkpoint
    assert_equal 1, ctx.eval("n")
    assert_nil iso.perform_microtask_checkpoint # idle: nothing to run
  end

  def test_checkpoint_obeys_the_isolate_timeout
    iso = isolate(microtasks: :explicit, timeout_ms: 100)
    iso.context.eval("Promise.resolve().then(() => { while (true) {} })")
    assert_raises(RustyRacer::ScriptTerminatedError) { iso.perform_microtask_checkpoint }
    assert_equal 2, iso.context.eval("1 + 1")
  end

  def test_a_callback_may_run_a_checkpoint
    iso = isolate(microtasks: :explicit)
    ctx = iso.context
    ctx.attach("flush", proc { iso.perform_microtask_checkpoint })
    assert_equal 1, ctx.eval("globalThis.n = 0; Promise.resolve().then(() => n++); flush(); n")
  end

  def test_a_callback_may_run_inside_a_checkpoint_and_run_one_itself
    iso = isolate(microtasks: :explicit)
    ctx = iso.context
    ctx.attach("fromJob", proc do
      ctx.eval("Promise.resolve().then(() => log.push('inner job'))")
      iso.perform_microtask_checkpoint # already inside one: V8 runs the new job in the same drain
      ctx.eval("log.push('callback'); 1")
    end)
    ctx.eval("globalThis.log = []; Promise.resolve().then(() => { fromJob(); log.push('job') })")
    iso.perform_microtask_checkpoint
    assert_equal ["callback", "job", "inner job"], ctx.eval("log")
  end

  def test_microtasks_option_is_checked
    assert_raises(ArgumentError) { RustyRacer::Isolate.new(microtasks: :sometimes) }
    assert_raises(TypeError) { RustyRacer::Isolate.new(microtasks: "auto") }
  end
end

# Per-eval time limits against the isolate's.
class OperationTimeoutTest < RustyRacerTest
  SPIN_300_MS = "{ const t = Date.now(); while (Date.now() - t < 300) {} } 7"

  def test_nil_means_the_isolate_limit_and_zero_none
    ctx = context(timeout_ms: 100)
    assert_raises(RustyRacer::ScriptTerminatedError) { ctx.eval(SPIN_300_MS) }
    assert_raises(RustyRacer::ScriptTerminatedError) { ctx.eval(SPIN_300_MS, timeout_ms: nil) }
    assert_equal 7, ctx.eval(SPIN_300_MS, timeout_ms: 0)
    assert_nil ctx.eval_void(SPIN_300_MS, timeout_ms: 0)
  end

  def test_a_thrown_object_whose_to_string_loops_is_stopped_by_the_deadline
    ctx = context
    error = assert_raises(RustyRacer::ScriptTerminatedError) do
      ctx.eval("throw { toString() { while (true) {} } }", timeout_ms: 100)
    end
    assert_match(/timed out after 100 ms/, error.message)
    assert_equal 42, ctx.eval("6 * 7")
  end
end
