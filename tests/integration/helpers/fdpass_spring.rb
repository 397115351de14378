#!/usr/bin/env ruby
# The spring exchange of fdpass_spring.py, with Ruby's own
# UNIXSocket#send_io / #recv_io (one byte and one fd per call):
#
#   fdpass_spring.rb server PATH READYFILE
#   fdpass_spring.rb client PATH ARGV...
require "socket"
require "json"

def read_line(s)
  line = +""
  until line.end_with?("\n")
    c = s.sysread(1)
    line << c
  end
  line
end

def serve(c)
  n = read_line(c).to_i
  raise "bad length" if n <= 0
  sub = c.recv_io(UNIXSocket)
  out = sub.recv_io
  err = sub.recv_io
  inp = sub.recv_io
  args = JSON.parse(read_line(sub))
  pid = Process.spawn(*args, in: inp, out: out, err: err)
  [out, err, inp].each(&:close)
  sub.write("pid #{pid}\n")
  _, st = Process.wait2(pid)
  code = st.exitstatus || 128 + st.termsig
  sub.write("exit #{code}\n")
  sub.close
rescue StandardError => e
  $stderr.puts "server: #{e.class}: #{e}"
ensure
  c.close
end

case ARGV[0]
when "server"
  srv = UNIXServer.new(ARGV[1])
  File.write(ARGV[2] + ".tmp", "#{Process.pid}\n")
  File.rename(ARGV[2] + ".tmp", ARGV[2])
  loop do
    c = srv.accept
    Thread.new(c) { |cc| serve(cc) }
  end
when "client"
  c = UNIXSocket.new(ARGV[1])
  a, b = UNIXSocket.pair
  payload = JSON.generate(ARGV[2..])
  c.write("#{payload.bytesize}\n")
  c.send_io(b)
  b.close
  a.send_io($stdout)
  a.send_io($stderr)
  a.send_io($stdin)
  a.write(payload + "\n")
  pid = a.gets
  exit 99 unless pid&.start_with?("pid ")
  st = a.gets
  exit 99 unless st&.start_with?("exit ")
  exit st.split[1].to_i
else
  abort "unknown mode"
end
