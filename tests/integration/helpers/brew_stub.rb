# Load a Homebrew formula with a stand-in for Homebrew's Formula class and
# print what it declares and does, a fact a line, for homebrew.sh:
#
#	ruby brew_stub.rb FORMULA BINDIR
#
#   field VALUE             desc, homepage, url, sha256, head
#   depends NAME KIND       KIND: run, build, test; head ... when in head do
#   system stable|head ARGS the commands install runs (not run), tab-separated
#   test ok                 the test block passed, run against BINDIR/ferry
#
# Only the part of the DSL the formula uses is here: a formula that uses
# more fails loudly (NoMethodError), which is the point.
require "open3"

class Formula
  class << self
    attr_reader :test_block

    def facts
      @facts ||= []
    end

    %w[desc homepage url sha256].each do |f|
      define_method(f) { |v, **_| facts << "field #{f} #{v}" }
    end

    def head(url = nil, **_opts, &blk)
      if blk
        @in_head = true
        instance_eval(&blk)
        @in_head = false
      else
        facts << "field head #{url}"
      end
    end

    def depends_on(spec)
      name, kind = spec.is_a?(Hash) ? spec.first : [spec, :run]
      facts << "#{@in_head ? 'head ' : ''}depends #{name} #{kind}"
    end

    def test(&blk)
      @test_block = blk
    end
  end

  Build = Struct.new(:head?)

  attr_reader :build, :commands

  def initialize(head, bindir)
    @build = Build.new(head)
    @bindir = bindir
    @commands = []
  end

  def prefix
    "/opt/homebrew/Cellar/ferry/0"
  end

  def bin
    @bindir
  end

  def std_configure_args
    ["--prefix=#{prefix}", "--libdir=#{prefix}/lib",
     "--disable-debug", "--disable-dependency-tracking"]
  end

  def system(*args)
    @commands << args
  end

  def shell_output(cmd, status = 0)
    out, st = Open3.capture2(cmd)
    raise "#{cmd}: exit #{st.exitstatus}, not #{status}" if st.exitstatus != status
    out
  end

  def pipe_output(cmd, input)
    out, = Open3.capture2(cmd, stdin_data: input)
    out
  end

  def assert_match(want, got)
    raise "#{want.inspect} not in #{got[0, 200].inspect}" unless got.match?(want)
  end

  def assert_equal(want, got)
    raise "#{got.inspect}, not #{want.inspect}" unless want == got
  end
end

formula, bindir = ARGV
load formula
klass = Formula.subclasses.first || ObjectSpace.each_object(Class).find { |c| c < Formula }
klass.facts.each { |f| puts f }
[false, true].each do |head|
  f = klass.new(head, bindir)
  f.install
  f.commands.each { |c| puts "system #{head ? 'head' : 'stable'} #{c.join("\t")}" }
end
klass.new(false, bindir).instance_eval(&klass.test_block)
puts "test ok"
