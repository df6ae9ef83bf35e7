# frozen_string_literal: true

module RustyRacer
  # Warm contexts shared by the threads of a server (Puma, Sidekiq):
  #
  #   pool = RustyRacer::Pool.new(size: 2, timeout_ms: 500) { |ctx| ctx.eval(bundle) }
  #   pool.with { |ctx| ctx.call("render", props) }
  #
  # Each context is the default context of its own thread-safe isolate
  # (Isolate.new(thread_safe: true, **isolate_options)), set up once by the
  # block when the pool is made. A thread checks one out for the length of
  # `with`; none free within checkout_timeout seconds raises
  # Pool::TimeoutError. With `reset: true` a context is reset (Context#reset)
  # after each use and set up again: give heavy code to a Snapshot
  # (`snapshot:`) so that a reset brings it back for free. A context whose
  # isolate was disposed, or that cannot be reset, is replaced.
  class Pool
    # No context came free within the checkout timeout.
    class TimeoutError < RustyRacer::Error; end

    attr_reader :size, :checkout_timeout

    def initialize(size:, checkout_timeout: 5, reset: false, **isolate_options, &setup)
      unless size.is_a?(Integer) && size.positive?
        raise ArgumentError, "RustyRacer::Pool.new: size must be a positive Integer (got #{size.inspect})"
      end
      unless checkout_timeout.is_a?(Numeric) && checkout_timeout >= 0
        raise ArgumentError, "RustyRacer::Pool.new: checkout_timeout must be seconds >= 0 (got #{checkout_timeout.inspect})"
      end

      @size = size
      @checkout_timeout = checkout_timeout
      @reset = reset
      @setup = setup
      @isolate_options = isolate_options.merge(thread_safe: true)
      @lock = Mutex.new
      @freed = ConditionVariable.new
      @shut = false
      @missing = 0 # contexts that could not be renewed, made again at checkout
      @idle = []
      size.times { @idle << fresh }
    rescue Exception # a failed setup leaves no isolate behind
      @idle&.each { |entry| entry.isolate.dispose }
      raise
    end

    # Yields a context for this thread's exclusive use and returns the
    # block's value; the context goes back to the pool afterwards (reset
    # first with `reset: true`).
    def with(timeout: @checkout_timeout)
      raise ArgumentError, "RustyRacer::Pool#with: a block is required" unless block_given?

      # Interrupts (Timeout, Thread#kill, Thread#raise) land only while
      # waiting or inside the block, never between taking a context and
      # giving it back: no slot is lost.
      Thread.handle_interrupt(Exception => :never) do
        entry = checkout(timeout)
        begin
          Thread.handle_interrupt(Exception => :immediate) { yield entry.context }
        ensure
          checkin(entry)
        end
      end
    end

    # Contexts free right now.
    def available
      @lock.synchronize { @idle.size }
    end

    # Disposes the idle contexts' isolates, and each busy one as it comes
    # back; later checkouts raise RustyRacer::DisposedError.
    def shutdown
      idle = @lock.synchronize do
        @shut = true
        @freed.broadcast
        @idle.slice!(0..)
      end
      idle.each { |entry| entry.isolate.dispose }
      nil
    end

    def shutdown?
      @shut
    end

    private

    # A pooled context and its isolate.
    Entry = Struct.new(:isolate, :context)

    def fresh
      iso = Isolate.new(**@isolate_options)
      entry = Entry.new(iso, iso.context)
      @setup&.call(entry.context)
      entry
    rescue Exception # the isolate must not outlive a failed setup
      iso&.dispose
      raise
    end

    def checkout(timeout)
      deadline = Process.clock_gettime(Process::CLOCK_MONOTONIC) + timeout
      @lock.synchronize do
        loop do
          raise DisposedError, "RustyRacer::Pool#with: the pool has been shut down" if @shut
          return @idle.pop unless @idle.empty?
          if @missing.positive?
            @missing -= 1
            break
          end

          left = deadline - Process.clock_gettime(Process::CLOCK_MONOTONIC)
          if left <= 0
            raise TimeoutError,
                  "RustyRacer::Pool#with: no context came free within #{timeout} s (all #{@size} in use)"
          end
          begin
            Thread.handle_interrupt(Exception => :immediate) { @freed.wait(@lock, left) }
          rescue Exception
            @freed.signal unless @idle.empty? # a wake-up meant for this thread goes to another
            raise
          end
        end
      end
      # A context whose renewal failed earlier is made again here; should
      # that fail too, this caller sees why and the slot stays missing.
      begin
        Thread.handle_interrupt(Exception => :immediate) { fresh }
      rescue Exception
        @lock.synchronize do
          @missing += 1
          @freed.signal
        end
        raise
      end
    end

    def checkin(entry)
      entry = renewed(entry)
      back = @lock.synchronize do
        if entry.nil?
          @missing += 1
        elsif !@shut
          @idle.push(entry)
        end
        @freed.signal
        !@shut
      end
      entry.isolate.dispose if entry && !back
    end

    # The entry to put back: itself (reset and set up again when asked), a
    # fresh one when its isolate is gone or the reset failed, or nil when
    # that failed too (a later checkout tries again).
    def renewed(entry)
      return replacement(entry) if entry.isolate.disposed?
      return entry unless @reset

      entry.context.reset
      @setup&.call(entry.context)
      entry
    rescue Exception # whatever failed (setup JS timing out, too), the slot is not lost
      replacement(entry)
    end

    def replacement(entry)
      entry.isolate.dispose
      fresh
    rescue Exception
      nil
    end
  end
end
