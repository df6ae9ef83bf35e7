# frozen_string_literal: true

require "json"

module RustyRacer
  # Serves ES module imports from the files under one directory: give it to
  # Module#instantiate (`mod.instantiate(&resolver)`) and to
  # Isolate#dynamic_import_resolver=. Relative (`./x.js`, `../y.mjs`),
  # absolute (`/app/z.js`) and `file://` specifiers resolve against the
  # importing module's URL; each file is compiled once per context, cached
  # by its real path, and known by its `file://` URL (import.meta.url).
  # `.json` files are JSON modules (their value is the default export).
  # Whatever resolves outside root, through `..` or a symlink, is refused
  # before the file is read.
  class FileResolver
    attr_reader :root, :context

    def initialize(context, root:)
      raise TypeError, "RustyRacer::FileResolver.new: context must be a RustyRacer::Context (got #{context.class})" \
        unless context.is_a?(Context)

      @context = context
      @root = File.realpath(root)
      @modules = {}
    end

    # The Module for specifier, imported by the module at referrer_url (nil:
    # resolved against root), compiled in context; nil when no such file.
    def call(specifier, referrer_url = nil, context = @context)
      path = path_of(String(specifier), referrer_url)
      refuse(specifier, path) unless inside?(path)
      real = begin
        File.realpath(path)
      rescue SystemCallError
        return nil
      end
      refuse(specifier, real) unless inside?(real)
      return nil unless File.file?(real)

      key = [context.id, real]
      cached = @modules[key]
      # A module dropped with its realm (Context#reset) is compiled again.
      cached = @modules[key] = compile(context, real) if cached.nil? || cached.disposed?
      cached
    end

    def to_proc
      method(:call).to_proc
    end

    # A file path's `file://` URL.
    def self.url(path)
      "file://" + path.b.gsub(%r{[^A-Za-z0-9/._~-]}n) { |c| format("%%%02X", c.ord) }
    end

    private

    def path_of(specifier, referrer_url)
      if specifier.start_with?("file://")
        from_url(specifier)
      elsif specifier.start_with?("/")
        File.expand_path(specifier)
      elsif specifier.start_with?("./", "../")
        referrer = referrer_url&.start_with?("file://") ? from_url(referrer_url) : nil
        File.expand_path(specifier, referrer ? File.dirname(referrer) : @root)
      else
        raise Error, "cannot import #{specifier.inspect}: RustyRacer::FileResolver resolves only relative " \
                     "(./, ../), absolute (/) and file:// specifiers, not bare names"
      end
    end

    def from_url(url)
      File.expand_path(url.delete_prefix("file://").gsub(/%\h\h/) { |h| h[1, 2].hex.chr }.force_encoding(Encoding::UTF_8))
    end

    def inside?(path)
      path == @root || path.start_with?(@root.end_with?("/") ? @root : "#{@root}/")
    end

    def refuse(specifier, path)
      raise Error, "refused to import #{specifier.inspect}: #{path} is outside the resolver's root #{@root}"
    end

    def compile(context, real)
      source = File.read(real, encoding: Encoding::UTF_8)
      if real.end_with?(".json")
        JSON.parse(source) # a syntax error names the file here, not in generated JS
        # Parsed by JSON.parse in JS too: as a JS literal, a "__proto__" key
        # would set the prototype instead of making a property.
        source = "export default JSON.parse(#{JSON.generate(source)});"
      end
      context.compile_module(source, filename: self.class.url(real))
    end
  end

  class Context
    # idl/context.yaml Context#import
    def import(path, root: nil)
      path = File.expand_path(path)
      resolver = FileResolver.new(self, root: root || File.dirname(path))
      mod = resolver.call(path) or raise RuntimeError, "cannot import #{path}: no such file"
      mod.instantiate(&resolver)
      mod.evaluate
      mod.namespace
    end
  end
end
