# Homebrew formula for ferry.
#
#   brew install --build-from-source ./contrib/homebrew/ferry.rb
#   brew install --HEAD ./contrib/homebrew/ferry.rb    # from git
#
# Set url and sha256 to a release tarball ("make dist" makes one; shasum
# -a 256 gives its sum) and homepage to where ferry is published before
# putting this in a tap.  Homebrew points pkg-config at openssl@3 (keg-only:
# macOS ships LibreSSL), libevent and libedit itself; building by hand
# needs PKG_CONFIG_PATH, see contrib/launchd/README.md.
class Ferry < Formula
  desc "Socket relay with socat's addresses, one event loop and backpressure"
  homepage "https://example.invalid/ferry"
  url "https://example.invalid/ferry/ferry-0.1.0.tar.gz"
  sha256 "0000000000000000000000000000000000000000000000000000000000000000"
  head "https://example.invalid/ferry.git", branch: "main"

  head do
    depends_on "autoconf" => :build
    depends_on "automake" => :build
    depends_on "libtool" => :build
  end

  depends_on "pkg-config" => :build
  depends_on "libedit"
  depends_on "libevent"
  depends_on "openssl@3"

  def install
    system "./autogen.sh" if build.head?
    system "./configure", *std_configure_args, "--disable-silent-rules"
    system "make", "install"
  end

  def caveats
    <<~EOS
      bash and zsh completions are installed; a launchd job that keeps a
      relay running is in the source tree, contrib/launchd/.
    EOS
  end

  test do
    assert_match "TCP-LISTEN", shell_output("#{bin}/ferry --help")
    # An unnamed pipe echoes: stdin comes back on stdout.
    assert_equal "hello\n", pipe_output("#{bin}/ferry - pipe", "hello\n")
  end
end
