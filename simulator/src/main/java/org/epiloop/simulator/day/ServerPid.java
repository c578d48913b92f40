package org.epiloop.simulator.day;

import java.io.IOException;
import java.net.URI;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Finds the server's process when it runs on this machine and {@code --server-pid} was not given:
 * the process that listens on the URL's port (Linux /proc: the listening socket's inode in
 * /proc/net/tcp and tcp6, then the process holding it). Empty when it cannot tell.
 */
final class ServerPid {

  private ServerPid() {}

  static Optional<Long> of(String url) {
    try {
      URI u = URI.create(url);
      String host = u.getHost();
      if (host == null || !(host.equals("localhost") || host.startsWith("127.") || host.equals("[::1]") || host.equals("::1"))) {
        return Optional.empty();
      }
      int port = u.getPort() > 0 ? u.getPort() : ("https".equals(u.getScheme()) ? 443 : 80);
      Set<Long> inodes = new HashSet<>();
      for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
        Path p = Path.of(table);
        if (!Files.isReadable(p)) {
          continue;
        }
        List<String> lines = Files.readAllLines(p);
        for (String line : lines.subList(1, lines.size())) {
          String[] f = line.trim().split("\\s+");
          if (f.length > 9 && "0A".equals(f[3])) {
            int local = Integer.parseInt(f[1].substring(f[1].lastIndexOf(':') + 1), 16);
            if (local == port) {
              inodes.add(Long.parseLong(f[9]));
            }
          }
        }
      }
      if (inodes.isEmpty()) {
        return Optional.empty();
      }
      long self = ProcessHandle.current().pid();
      try (DirectoryStream<Path> procs = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
        for (Path proc : procs) {
          long pid = Long.parseLong(proc.getFileName().toString());
          if (pid != self && holds(proc, inodes)) {
            return Optional.of(pid);
          }
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, not ours to read: no pid
    }
    return Optional.empty();
  }

  private static boolean holds(Path proc, Set<Long> inodes) {
    try (DirectoryStream<Path> fds = Files.newDirectoryStream(proc.resolve("fd"))) {
      for (Path fd : fds) {
        try {
          String target = Files.readSymbolicLink(fd).toString();
          if (target.startsWith("socket:[") && inodes.contains(Long.parseLong(target.substring(8, target.length() - 1)))) {
            return true;
          }
        } catch (IOException | RuntimeException e) {
          // closed meanwhile
        }
      }
    } catch (IOException | RuntimeException e) {
      // not ours to read, or gone
    }
    return false;
  }
}
