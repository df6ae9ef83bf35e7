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
  # A context's source runs once, in a thread-safe isolate that any Ruby
  # thread may call (the Node runtime runs it again for every call).
  class ExecJSRuntime < ExecJS::Runtime
    SHADOWED = "global, process, module, exports, require, console, setTimeout, setInterval, clearTimeout, " \
               "clearInterval, setImmediate, clearImmediate"
    # What the JSON crossing is wrapped in: a trailing `//` comment in the
    # source ends at the newline; Symbols are kept as strings.
    REPLACER = 'function (key, value) { return typeof value === "symbol" ? String(value) : value }'
    # atob and btoa, which browsers and Node both have (and libraries such
    # as uglify-js call), as the HTML spec defines them.
    BASE64 = <<~'JS'
      (function () {
        const table = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        const fail = (m) => { const e = new Error(m); e.name = "InvalidCharacterError"; throw e };
        const define = (name, f) => Object.defineProperty(globalThis, name, { value: f, writable: true, configurable: true });
        define("btoa", function btoa(data) {
          data = String(data);
          let out = "";
          for (let i = 0; i < data.length; i += 3) {
            const c = [data.charCodeAt(i), data.charCodeAt(i + 1), data.charCodeAt(i + 2)];
            if (c.some((x) => x > 255)) fail("Invalid character");
            const n = (c[0] << 16) | ((c[1] || 0) << 8) | (c[2] || 0);
            out += table[n >> 18] + table[(n >> 12) & 63] +
              (i + 1 < data.length ? table[(n >> 6) & 63] : "=") + (i + 2 < data.length ? table[n & 63] : "=");
          }
          return out;
        });
        define("atob", function atob(data) {
          data = String(data).replace(/[\t\n\f\r ]/g, "");
          if (data.length % 4 === 0) data = data.replace(/==?$/, "");
          if (data.length % 4 === 1 || /[^A-Za-z0-9+\/]/.test(data)) fail("The string to be decoded is not correctly encoded.");
          let out = "", bits = 0, n = 0;
          for (const ch of data) {
            n = (n << 6) | table.indexOf(ch);
            bits += 6;
            if (bits >= 8) { bits -= 8; out += String.fromCharCode((n >> bits) & 255) }
          }
          return out;
        });
      })();
    JS

    class Context < ExecJS::Runtime::Context
      def initialize(runtime, source = "", options = {})
        super
        source = utf8(source)
        ctx = RustyRacer::Isolate.new(thread_safe: true).context
        # A fresh context has nothing beyond ECMAScript (V8 adds console),
        # and atob/btoa.
        ctx.eval_void("delete globalThis.console")
        ctx.eval_void(BASE64)
        program = "(function (#{SHADOWED}) { #{source}\n;return function () { return eval(arguments[0]) } })()"
        # A function evaluating code in the scope the source ran in.
        @evaluator = translate { ctx.eval(program, filename: "(execjs)") }
      end

      def exec(source, options = {})
        source = utf8(source)
        eval("(function(){#{source}\n})()", options) if /\S/.match?(source)
      end

      def eval(source, options = {})
        source = utf8(source)
        return nil unless /\S/.match?(source)

        json = translate { @evaluator.call("JSON.stringify([(#{source}\n)], #{REPLACER})") }
        json && ::JSON.parse(json, max_nesting: false).first
      end

      def call(identifier, *args)
        eval("#{identifier}.apply(this, #{::JSON.generate(args)})")
      end

      private

      # UTF-8 source, as ExecJS's runtimes take it: binary data is taken
      # when it is valid UTF-8 and raises Encoding::UndefinedConversionError
      # otherwise (ExecJS's own `encode`, which newer ExecJS lacks).
      def utf8(string)
        return string.encode(Encoding::UTF_8) unless string.encoding == Encoding::BINARY

        data = string.dup.force_encoding(Encoding::UTF_8)
        raise Encoding::UndefinedConversionError, "Could not encode ASCII-8BIT data #{string.dump} as UTF-8" \
          unless data.valid_encoding?

        data
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
