# frozen_string_literal: true

require "rusty_racer"

# A mini_racer-compatible layer on rusty_racer (`require "mini_racer"`
# loads it when the real mini_racer is not installed). A MiniRacer::Context
# may be used from any thread, as mini_racer allows (its isolate is
# thread-safe), and values come back as mini_racer makes them
# (`conversions: :mini_racer`).
module MiniRacer
  class Error < ::StandardError; end
  class ContextDisposedError < Error; end
  class PlatformAlreadyInitialized < Error; end
  class SnapshotError < Error; end
  class InternalError < Error; end
  class FailedV8Conversion < Error; end
  class EvalError < Error; end
  class ParseError < EvalError; end
  class ScriptTerminatedError < EvalError; end
  class V8OutOfMemoryError < EvalError; end
  class RuntimeError < EvalError; end
  class ScriptError < EvalError; end

  # rusty_racer's errors, as mini_racer's.
  ERRORS = {
    RustyRacer::ParseError => ParseError,
    RustyRacer::ScriptTerminatedError => ScriptTerminatedError,
    RustyRacer::V8OutOfMemoryError => V8OutOfMemoryError,
    RustyRacer::RuntimeError => RuntimeError,
    RustyRacer::DisposedError => ContextDisposedError,
    RustyRacer::SnapshotError => SnapshotError,
    RustyRacer::PlatformAlreadyInitialized => PlatformAlreadyInitialized,
    RustyRacer::InternalError => InternalError,
    RustyRacer::EvalError => EvalError,
    RustyRacer::Error => Error,
  }.freeze

  def self.translate
    yield
  rescue RustyRacer::Error => e
    error = ERRORS.find { |from, _| e.is_a?(from) }&.last || Error
    raise error, e.message, e.backtrace
  end

  JavaScriptFunction = RustyRacer::JSFunction

  # A binary String to pass as a Uint8Array (rusty_racer passes any
  # ASCII-8BIT String that way).
  class Binary
    attr_reader :data

    def initialize(data)
      @data = data.b
    end
  end

  module Platform
    def self.set_flags!(*flags)
      MiniRacer.translate { RustyRacer::Platform.set_flags!(*flags) }
    end
  end

  class Snapshot
    attr_reader :snapshot # :nodoc: the RustyRacer::Snapshot

    def self.load(blob)
      new(nil, MiniRacer.translate { RustyRacer::Snapshot.load(blob.b) })
    end

    def initialize(code = "", snapshot = nil)
      @snapshot = snapshot || MiniRacer.translate { RustyRacer::Snapshot.new(code) }
    end

    def warmup!(code)
      MiniRacer.translate { @snapshot.warmup!(code) }
      self
    end

    def dump = @snapshot.dump
    def size = @snapshot.size
  end

  class Context
    OPTIONS = %i[isolate snapshot max_memory marshal_stack_depth ensure_gc_after_idle timeout].freeze

    def initialize(**options)
      unknown = options.keys - OPTIONS
      raise ArgumentError, "unknown option#{'s' if unknown.size > 1}: #{unknown.map(&:inspect).join(', ')}" unless unknown.empty?

      # A thread-safe isolate: any thread may use the context, as mini_racer
      # allows, one at a time (callbacks run on the calling thread).
      @isolate = MiniRacer.translate do
        RustyRacer::Isolate.new(timeout_ms: options[:timeout].to_i, memory_limit: options[:max_memory].to_i,
                                snapshot: options[:snapshot]&.snapshot, conversions: :mini_racer, thread_safe: true)
      end
      @context = @isolate.context
      @pid = Process.pid
    end

    def eval(source, options = nil)
      on_context { @context.eval(source.to_s, filename: filename_in(options)) }
    end

    def eval_await(source, options = nil)
      on_context { @context.eval_await(source.to_s, filename: filename_in(options)) }
    end

    def call(name, *args) = on_context { @context.call(name, *marshal(args)) }
    def call_await(name, *args) = on_context { @context.call_await(name, *marshal(args)) }
    def attach(name, callable) = on_context { @context.attach(name, callable) }
    def load(path) = eval(File.read(path), filename: path)
    def low_memory_notification = on_context { @isolate.low_memory_notification }
    def pump_message_loop = on_context { @isolate.pump_message_loop }
    def perform_microtask_checkpoint = on_context { @isolate.perform_microtask_checkpoint }
    def write_heap_snapshot(path) = on_context { @isolate.write_heap_snapshot(path) }

    # mini_racer's heap figures.
    def heap_stats
      stats = on_context { @isolate.heap_statistics }
      { total_physical_size: stats[:total_physical_size], total_heap_size_executable: 0,
        total_heap_size: stats[:total_heap_size], used_heap_size: stats[:used_heap_size],
        heap_size_limit: stats[:heap_size_limit] }
    end

    # Stops the running JS (any thread).
    def stop
      @isolate.terminate
      nil
    end

    # Any thread; JS running meanwhile on another thread is stopped.
    def dispose
      @isolate.dispose if Process.pid == @pid
      nil
    end

    def disposed? = @isolate.disposed?

    private

    def on_context
      raise ContextDisposedError, "the context was made in another process (before a fork)" if Process.pid != @pid

      MiniRacer.translate { yield }
    end

    # mini_racer's `eval(src, filename: …)` (options may be anything).
    def filename_in(options)
      filename = options.is_a?(Hash) ? options[:filename] : nil
      (filename || "<eval>").to_s
    end

    def marshal(args)
      args.map { |a| a.is_a?(Binary) ? a.data : a }
    end
  end
end
