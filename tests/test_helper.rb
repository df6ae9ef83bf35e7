# frozen_string_literal: true

require "minitest/autorun"
$LOAD_PATH.unshift(File.expand_path("../gem/lib", __dir__))
require "rusty_racer"

class RustyRacerTest < Minitest::Test
  def setup
    @isolates = []
  end

  def teardown
    @isolates.each { |i| i.dispose unless i.disposed? }
  end

  def isolate(**kw)
    RustyRacer::Isolate.new(**kw).tap { |i| @isolates << i }
  end

  def context(**kw)
    isolate(**kw).context
  end

  # Runs the block on another thread and returns what it raised (or returned).
  def on_other_thread
    Thread.new do
      Thread.current.report_on_exception = false
      yield
    rescue Exception => e # rubocop:disable Lint/RescueException
      e
    end.value
  end
end
