# Homebrew formula for ferry.
#
#   brew install --build-from-source ./contrib/homebrew/ferry.rb
#   brew install --HEAD ./contrib/homebrew/ferry.rb    # from git
#
# url and sha256 are written by update-formula.sh from a "make dist"
# tarball; homepage and head name the repository (update-formula.sh -g).
# What was and was not checked on Linux: README.md here.  Homebrew points
# pkg-config at openssl@3 and libedit (both keg-only: macOS ships LibreSSL
# and its own libedit without a .pc file) and libevent itself; building
# by hand needs PKG_CONFIG_PATH, see contrib/launchd/README.md.
class Ferry < Formula
  desc "Socket relay with socat's addresses, one event loop and backpressure"
  homepage "https://example.invalid/ferry"
  url "https://example.invalid/ferry/ferry-0.1.0.tar.gz"
  sha256 "58b38b761d4b32424fe49bd4399272300d3cfad9fc399d1e722ebd3c65b89f9d"
  head "https://example.invalid/ferry.git", branch: "main"

  head do
    depends_on "autoconf" => :build
    depends_on "automake" => :build
  end

  depends_on "pkgconf" => :build
  depends_on "libedit"
  depends_on "libevent"
  depends_on "openssl@3"

  def install
    system "./autogen.sh" if build.head?
    # --with-libedit: READLINE edits lines, or configure fails.
    system "./configure", *std_configure_args, "--disable-silent-rules",
           "--with-libedit"
    system "make", "install"
  end

  def caveats
    <<~EOS
      bash and zsh completions are installed; a launchd job that keeps a
      relay running is in the source tree, contrib/launchd/.
    EOS
  end

  test do
    assert_match "TCP-LISTEN", shell_output("#{bin}/ferry help kinds")
    # An unnamed pipe echoes: stdin comes back on stdout.
    assert_equal "hello\n", pipe_output("#{bin}/ferry - pipe", "hello\n")
  end
end
