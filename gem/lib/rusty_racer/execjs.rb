# frozen_string_literal: true

require "execjs"
require "json"
require "rusty_racer"

module RustyRacer
  # An ExecJS runtime on rusty_racer: `ExecJS.runtime = RustyRacer::ExecJSRuntime.new`.
  # Its semantics are those of ExecJS's Node runtime, in process: the
  # source runs inside a function whose parameters shadow Node's globals
  # (`console`, `setTimeout`, `require`, … are undefined there, so
  # `void 0 !== console` does not throw, and none is a global), later
  # code is evaluated in that function's scope, and results cross as JSON
  # (functions and `undefined` become nil; Symbols become their strings).
  # A context's source runs once per Ruby thread that uses it (isolates are
  # confined to a thread; the Node runtime runs it again for every call).
  class ExecJSRuntime < ExecJS::Runtime
    SHADOWED = "global, process, module, exports, require, console, setTimeout, setInterval, clearTimeout, " \
               "clearInterval, setImmediate, clearImmediate"
    # What the JSON crossing is wrapped in: a trailing `//` comment in the
    # source ends at the newline; Symbols are kept as strings.
    REPLACER = 'function (key, value) { return typeof value === "symbol" ? String(value) : value }'

    class Context < ExecJS::Runtime::Context
      def initialize(runtime, source = "", options = {})
        super
        @source = encode(source)
        # Each thread's evaluator, held by this context only: dropped with
        # it (ExecJS.eval makes a context per call).
        @evaluators = {}
        @lock = Mutex.new
        context # runs the source now, so its errors surface here
      end

      def exec(source, options = {})
        source = encode(source)
        eval("(function(){#{source}\n})()", options) if /\S/.match?(source)
      end

      def eval(source, options = {})
        source = encode(source)
        return nil unless /\S/.match?(source)

        json = translate { context.call("JSON.stringify([(#{source}\n)], #{REPLACER})") }
        json && ::JSON.parse(json, max_nesting: false).first
      end

      def call(identifier, *args)
        eval("#{identifier}.apply(this, #{::JSON.generate(args)})")
      end

      private

      # This thread's evaluator (a JSFunction evaluating code in the scope
      # the source ran in), made on first use.
      def context
        @lock.synchronize { @evaluators[Thread.current] } || begin
          ctx = RustyRacer::Isolate.new.context
          # A fresh context has nothing beyond ECMAScript (V8 adds console).
          ctx.eval_void("delete globalThis.console")
          program = "(function (#{SHADOWED}) { #{@source}\n;return function () { return eval(arguments[0]) } })()"
          evaluator = translate { ctx.eval(program, filename: "(execjs)") }
          @lock.synchronize do
            @evaluators.delete_if { |thread, _| !thread.alive? }
            @evaluators[Thread.current] = evaluator
          end
        end
      end

      def translate
        yield
      rescue RustyRacer::ParseError => e
        raise with_backtrace(ExecJS::RuntimeError.new(e.message), e)
      rescue RustyRacer::EvalError => e
        # As the Node runtime: a SyntaxError (also one thrown by eval) is a RuntimeError.
        error = e.message.start_with?("SyntaxError") ? ExecJS::RuntimeError : ExecJS::ProgramError
        raise with_backtrace(error.new(e.message), e)
      end

      def with_backtrace(error, cause)
        frames = (cause.backtrace || []).select { |f| f.start_with?("(execjs)") }
        error.set_backtrace(frames.empty? ? ["(execjs):1"] + caller : frames + caller)
        error
      end
    end

    def name
      "RustyRacer (V8)"
    end

    def available?
      defined?(RustyRacer::Isolate) ? true : false
    end

    def deprecated?
      false
    end
  end
end
