# frozen_string_literal: true

require "rusty_racer"

# A mini_racer-compatible layer on rusty_racer (`require "mini_racer"`
# loads it when the real mini_racer is not installed). A MiniRacer::Context
# may be used from any thread, as mini_racer allows: its isolate lives on a
# thread of its own, and each call hops there (callbacks run there too).
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

      @jobs = Queue.new
      @disposed = false
      booted = Queue.new
      # The owner thread holds the queue, not this object: a context
      # nobody disposes is collected, and its finalizer ends the thread.
      @owner = Context.spawn(@jobs, options, booted)
      status, value = booted.pop
      raise value if status == :error

      @isolate = value
      @pid = Process.pid
      ObjectSpace.define_finalizer(self, Context.closer(@jobs))
    end

    # (Made here, not in #initialize: a block there would hold the context.)
    def self.closer(jobs)
      proc { jobs.close }
    end

    def self.spawn(jobs, options, booted)
      Thread.new { serve(jobs, options, booted) }.tap { |t| t.report_on_exception = false }
    end

    def self.serve(jobs, options, booted)
      isolate = MiniRacer.translate do
        RustyRacer::Isolate.new(timeout_ms: options[:timeout].to_i, memory_limit: options[:max_memory].to_i,
                                snapshot: options[:snapshot]&.snapshot)
      end
      booted << [:ok, isolate]
      while (job = jobs.pop)
        job.call(isolate)
      end
      isolate.dispose unless isolate.disposed?
      # Callers that raced with the close are told, not left waiting.
      while (job = jobs.pop(true) rescue nil) # rubocop:disable Style/RescueModifier
        job.call(nil)
      end
    rescue Exception => e # rubocop:disable Lint/RescueException
      booted << [:error, e]
    end

    def eval(source, options = nil)
      filename = options.is_a?(Hash) ? options[:filename] : nil
      on_owner(:context, :eval, [source.to_s], filename: (filename || "<eval>").to_s)
    end

    def eval_await(source, options = nil)
      filename = options.is_a?(Hash) ? options[:filename] : nil
      on_owner(:context, :eval_await, [source.to_s], filename: (filename || "<eval>").to_s)
    end

    def call(name, *args) = on_owner(:context, :call, [name, *marshal(args)])
    def call_await(name, *args) = on_owner(:context, :call_await, [name, *marshal(args)])
    def attach(name, callable) = on_owner(:context, :attach, [name, callable])
    def load(path) = eval(File.read(path), filename: path)
    def low_memory_notification = on_owner(:isolate, :low_memory_notification)
    def pump_message_loop = on_owner(:isolate, :pump_message_loop)
    def perform_microtask_checkpoint = on_owner(:isolate, :perform_microtask_checkpoint)
    def write_heap_snapshot(path) = on_owner(:isolate, :write_heap_snapshot, [path])

    # mini_racer's heap figures.
    def heap_stats
      stats = on_owner(:isolate, :heap_statistics)
      { total_physical_size: stats[:total_physical_size], total_heap_size_executable: 0,
        total_heap_size: stats[:total_heap_size], used_heap_size: stats[:used_heap_size],
        heap_size_limit: stats[:heap_size_limit] }
    end

    # Stops the running JS (any thread).
    def stop
      @isolate&.terminate
      nil
    end

    def dispose
      return if @disposed

      here = Process.pid == @pid
      if here && @owner.alive?
        begin
          on_owner(:isolate, :dispose)
        rescue ContextDisposedError
          nil # its thread ended meanwhile
        end
      end
      @disposed = true
      @jobs.close
      @owner.join if here
      nil
    end

    def disposed? = @disposed

    private

    # Runs `method` of the isolate or its context on the owner thread. The
    # job is made by a class method: a block made here would hold this
    # context (its self) from the owner thread, and it would never be
    # collected.
    def on_owner(target, method, args = [], **kw)
      raise ContextDisposedError, "the context has been disposed" if @disposed
      raise ContextDisposedError, "the context was made in another process (before a fork)" if Process.pid != @pid
      return MiniRacer.translate { Context.perform(@isolate, target, method, args, kw) } if Thread.current == @owner

      done = Outcome.new
      begin
        @jobs << Context.job(done, target, method, args, kw)
      rescue ClosedQueueError
        raise ContextDisposedError, "the context has been disposed"
      end
      status, value = done.wait(@owner)
      raise value if status == :error

      value
    end

    # A call's outcome, waited for while the owner thread lives.
    class Outcome
      def initialize
        @lock = Mutex.new
        @ready = ConditionVariable.new
        @value = nil
      end

      def set(value)
        @lock.synchronize do
          @value ||= value
          @ready.signal
        end
      end

      def wait(owner)
        @lock.synchronize do
          until @value
            @ready.wait(@lock, 0.5)
            @value ||= [:error, ContextDisposedError.new("the context's thread has ended")] unless owner.alive?
          end
          @value
        end
      end
    end

    def self.job(done, target, method, args, kw)
      lambda do |isolate|
        raise ContextDisposedError, "the context has been disposed" unless isolate

        done.set([:ok, MiniRacer.translate { perform(isolate, target, method, args, kw) }])
      rescue Exception => e # rubocop:disable Lint/RescueException
        done.set([:error, e])
      ensure
        done.set([:error, ContextDisposedError.new("the context's thread ended inside the call")])
      end
    end

    def self.perform(isolate, target, method, args, kw)
      (target == :isolate ? isolate : isolate.context).public_send(method, *args, **kw)
    end

    def marshal(args)
      args.map { |a| a.is_a?(Binary) ? a.data : a }
    end
  end
end
