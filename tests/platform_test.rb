# frozen_string_literal: true

require_relative "test_helper"

# V8 flags: set before V8 starts, refused after.
class PlatformTest < RustyRacerTest
  def test_flags_apply_to_isolates_created_after_them
    # In a child: in this process V8 has started already.
    out, status = run_child(<<~'RUBY')
      puts RustyRacer::Platform.initialized?
      RustyRacer::Platform.set_flags!(:use_strict, "--stack-size=500", harmony: true, lazy: false)
      ctx = RustyRacer::Isolate.new.context
      puts RustyRacer::Platform.initialized?
      puts ctx.eval("try { undeclared = 1; 'sloppy' } catch (e) { e.name }")
      begin
        RustyRacer::Platform.set_flags!(:use_strict)
      rescue RustyRacer::PlatformAlreadyInitialized => e
        puts e.class
      end
    RUBY
    assert_predicate status, :success?, out
    assert_equal %w[false true ReferenceError RustyRacer::PlatformAlreadyInitialized], out.lines.map(&:chomp)
  end

  def test_after_v8_started_flags_raise
    isolate
    assert RustyRacer::Platform.initialized?
    error = assert_raises(RustyRacer::PlatformAlreadyInitialized) { RustyRacer::Platform.set_flags!(:use_strict) }
    assert_match(/flags froze with the first isolate/, error.message)
    assert_kind_of RustyRacer::Error, error
  end

  def test_bad_flags_raise_argument_error
    error = assert_raises(ArgumentError) { RustyRacer::Platform.set_flags!("use\0strict") }
    assert_match(/NUL byte/, error.message)
    error = assert_raises(ArgumentError) { RustyRacer::Platform.set_flags!("x" * 300) }
    assert_match(/at most 256 characters/, error.message)
    assert_raises(TypeError) { RustyRacer::Platform.set_flags!(42) }
  end
end
