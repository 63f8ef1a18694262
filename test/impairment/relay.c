// Impairment relay: test tooling, see README.md next to this file.
//
// Joins two TUN devices that live in two network namespaces (A: the client, B: the server) and
// copies IP packets between them. Packets from A to B are dropped with probability `--loss` and
// held for `--delay-us` plus a random offset (`--jitter-us`, `--dist`); packets from B to A pass
// at once. The whole configured round-trip delay is thus applied on the way out, so an echo's RTT
// is the base RTT of the relay (tens of microseconds) plus the configured delay and jitter.
//
// Timing: each packet is stamped when read (CLOCK_MONOTONIC) and written when due. The loop
// sleeps in ppoll() with a nanosecond timeout, timer slack 1 ns and, when allowed, SCHED_FIFO,
// so that a loaded machine does not push the wake-up by milliseconds; it wakes SPIN_NS early and
// spins the rest. How late each write started is kept in a histogram and printed on exit, with
// how long each echo request from A was held (the delay the link really had for that ping).
//
// Protocol with the parent: prints `ready` on stdout once both TUNs are attached; stops on
// SIGTERM, SIGINT or end of stdin (the parent died) and then prints one line of JSON statistics.
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <linux/if.h>
#include <linux/if_tun.h>
#include <math.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <time.h>
#include <unistd.h>

#define MAX_PACKET 65536
#define MAX_QUEUE 65536
#define HIST_US 100000 // lateness histogram: 1 us buckets up to 100 ms
#define MAX_ECHO 4096  // echo requests from A whose hold is reported one by one
// ppoll() wakes this long before a packet is due and the last stretch is spun on the clock:
// a wake-up from sleep is tens of microseconds late even at real-time priority, the spin is not.
#define SPIN_NS 200000u

static volatile sig_atomic_t stopping = 0;
static void on_signal(int sig) {
  (void)sig;
  stopping = 1;
}

static void die(const char *what) {
  fprintf(stderr, "relay: %s: %s\n", what, strerror(errno));
  exit(1);
}

static uint64_t now_ns(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

// xoshiro256** seeded through splitmix64: reproducible drops and delays for a given seed.
static uint64_t rng[4];
static uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
static uint64_t next_u64(void) {
  uint64_t result = rotl(rng[1] * 5, 7) * 9, t = rng[1] << 17;
  rng[2] ^= rng[0];
  rng[3] ^= rng[1];
  rng[1] ^= rng[2];
  rng[0] ^= rng[3];
  rng[2] ^= t;
  rng[3] = rotl(rng[3], 45);
  return result;
}
static void seed_rng(uint64_t seed) {
  for (int i = 0; i < 4; i++) {
    uint64_t z = (seed += 0x9e3779b97f4a7c15u);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9u;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebu;
    rng[i] = z ^ (z >> 31);
  }
}
static double uniform01(void) { return (double)(next_u64() >> 11) * 0x1.0p-53; }
static double standard_normal(void) {
  // Box-Muller; 1 - u keeps the logarithm finite.
  double u = 1.0 - uniform01(), v = uniform01();
  return sqrt(-2.0 * log(u)) * cos(2.0 * M_PI * v);
}

// Opens the TUN device `name` inside the network namespace `ns` (a name under /run/netns or a path).
static int attach_tun(const char *ns, const char *name) {
  char path[512];
  if (strchr(ns, '/'))
    snprintf(path, sizeof path, "%s", ns);
  else
    snprintf(path, sizeof path, "/run/netns/%s", ns);
  int nsfd = open(path, O_RDONLY | O_CLOEXEC);
  if (nsfd < 0) die(path);
  if (setns(nsfd, CLONE_NEWNET) < 0) die("setns");
  close(nsfd);
  int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) die("/dev/net/tun");
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  ifr.ifr_flags = IFF_TUN | IFF_NO_PI;
  snprintf(ifr.ifr_name, IFNAMSIZ, "%s", name);
  if (ioctl(fd, TUNSETIFF, &ifr) < 0) die("TUNSETIFF");
  return fd;
}

struct held {
  uint64_t due, order, arrived;
  int64_t echo; // its index among the echo requests from A, or -1
  uint8_t *data;
  uint32_t len;
};
static struct held heap[MAX_QUEUE];
static size_t heap_len = 0;
static uint64_t pushed = 0;

static int earlier(const struct held *x, const struct held *y) {
  return x->due < y->due || (x->due == y->due && x->order < y->order);
}
static void heap_push(struct held h) {
  size_t i = heap_len++;
  heap[i] = h;
  while (i > 0 && earlier(&heap[i], &heap[(i - 1) / 2])) {
    struct held t = heap[i];
    heap[i] = heap[(i - 1) / 2];
    heap[(i - 1) / 2] = t;
    i = (i - 1) / 2;
  }
}
static struct held heap_pop(void) {
  struct held top = heap[0];
  heap[0] = heap[--heap_len];
  size_t i = 0;
  for (;;) {
    size_t l = 2 * i + 1, r = l + 1, m = i;
    if (l < heap_len && earlier(&heap[l], &heap[m])) m = l;
    if (r < heap_len && earlier(&heap[r], &heap[m])) m = r;
    if (m == i) break;
    struct held t = heap[i];
    heap[i] = heap[m];
    heap[m] = t;
    i = m;
  }
  return top;
}

struct direction {
  uint64_t packets, dropped, echo_requests, echo_dropped, queue_full, write_errors;
};
static struct direction ab, ba;
static uint32_t hist[HIST_US + 1];
static uint64_t late_count = 0, late_sum_ns = 0, late_max_ns = 0;
// How long each echo request from A was held, in the order they came: from its read to the
// start of its write, in ns; DROPPED when the loss took it, HELD while not written yet.
#define DROPPED (-1)
#define HELD (-2)
static int64_t echo_held_ns[MAX_ECHO];
static uint64_t echo_seen = 0;

// ICMP echo request (IPv4 type 8) or ICMPv6 echo request (type 128) without extension headers.
static int is_echo_request(const uint8_t *p, ssize_t n) {
  if (n >= 20 && (p[0] >> 4) == 4) {
    size_t ihl = (size_t)(p[0] & 15) * 4;
    return p[9] == 1 && (ssize_t)ihl < n && p[ihl] == 8;
  }
  if (n >= 41 && (p[0] >> 4) == 6) return p[6] == 58 && p[40] == 128;
  return 0;
}

static void record_lateness(uint64_t late) {
  late_count++;
  late_sum_ns += late;
  if (late > late_max_ns) late_max_ns = late;
  uint64_t us = late / 1000;
  hist[us > HIST_US ? HIST_US : us]++;
}

static double percentile_us(double q) {
  if (late_count == 0) return 0;
  uint64_t rank = (uint64_t)ceil(q * (double)late_count), seen = 0;
  if (rank == 0) rank = 1;
  for (int i = 0; i <= HIST_US; i++) {
    seen += hist[i];
    if (seen >= rank) return i; // lower edge of the 1 us bucket
  }
  return HIST_US;
}

static void print_direction(const char *name, const struct direction *d, int comma) {
  printf("\"%s\":{\"packets\":%lu,\"dropped\":%lu,\"echoRequests\":%lu,\"echoRequestsDropped\":%lu,"
         "\"queueFull\":%lu,\"writeErrors\":%lu}%s",
         name, d->packets, d->dropped, d->echo_requests, d->echo_dropped, d->queue_full,
         d->write_errors, comma ? "," : "");
}

int main(int argc, char **argv) {
  const char *a_ns = NULL, *a_tun = NULL, *b_ns = NULL, *b_tun = NULL, *dist = "uniform";
  double delay_us = 0, jitter_us = 0, loss = 0;
  uint64_t seed = 1;
  static struct option opts[] = {
      {"a-ns", 1, 0, 1},     {"a-tun", 1, 0, 2},  {"b-ns", 1, 0, 3},
      {"b-tun", 1, 0, 4},    {"delay-us", 1, 0, 5}, {"jitter-us", 1, 0, 6},
      {"dist", 1, 0, 7},     {"loss", 1, 0, 8},   {"seed", 1, 0, 9},
      {0, 0, 0, 0}};
  for (int c; (c = getopt_long(argc, argv, "", opts, NULL)) != -1;) {
    switch (c) {
    case 1: a_ns = optarg; break;
    case 2: a_tun = optarg; break;
    case 3: b_ns = optarg; break;
    case 4: b_tun = optarg; break;
    case 5: delay_us = atof(optarg); break;
    case 6: jitter_us = atof(optarg); break;
    case 7: dist = optarg; break;
    case 8: loss = atof(optarg); break;
    case 9: seed = strtoull(optarg, NULL, 10); break;
    default: return 2;
    }
  }
  int normal = strcmp(dist, "normal") == 0;
  if (!a_ns || !a_tun || !b_ns || !b_tun || (!normal && strcmp(dist, "uniform") != 0) ||
      delay_us < 0 || jitter_us < 0 || loss < 0 || loss > 1) {
    fprintf(stderr, "usage: relay --a-ns NS --a-tun DEV --b-ns NS --b-tun DEV [--delay-us N] "
                    "[--jitter-us N] [--dist uniform|normal] [--loss 0..1] [--seed N]\n");
    return 2;
  }
  seed_rng(seed);
  int fd_a = attach_tun(a_ns, a_tun);
  int fd_b = attach_tun(b_ns, b_tun);

  // Precise wake-ups: 1 ns timer slack instead of 50 us, and real-time priority when permitted.
  prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
  struct sched_param sp = {.sched_priority = 10};
  int realtime = sched_setscheduler(0, SCHED_FIFO, &sp) == 0;

  sigset_t blocked, waitmask;
  sigemptyset(&blocked);
  sigaddset(&blocked, SIGTERM);
  sigaddset(&blocked, SIGINT);
  sigprocmask(SIG_BLOCK, &blocked, &waitmask);
  struct sigaction sa;
  memset(&sa, 0, sizeof sa);
  sa.sa_handler = on_signal;
  sigaction(SIGTERM, &sa, NULL);
  sigaction(SIGINT, &sa, NULL);
  signal(SIGPIPE, SIG_IGN);

  printf("ready\n");
  fflush(stdout);

  static uint8_t buf[MAX_PACKET];
  while (!stopping) {
    uint64_t now = now_ns();
    while (heap_len > 0 && heap[0].due <= now + SPIN_NS) {
      while (now < heap[0].due) now = now_ns();
      struct held h = heap_pop();
      // Lateness is taken as the write starts: the write itself runs the receiving stack.
      record_lateness(now - h.due);
      if (h.echo >= 0) echo_held_ns[h.echo] = (int64_t)(now - h.arrived);
      if (write(fd_b, h.data, h.len) < 0) ab.write_errors++;
      free(h.data);
      now = now_ns();
    }
    struct timespec timeout, *tp = NULL;
    if (heap_len > 0) {
      uint64_t wait = heap[0].due - SPIN_NS - now;
      timeout.tv_sec = (time_t)(wait / 1000000000u);
      timeout.tv_nsec = (long)(wait % 1000000000u);
      tp = &timeout;
    }
    struct pollfd fds[3] = {{fd_a, POLLIN, 0}, {fd_b, POLLIN, 0}, {0, POLLIN, 0}};
    int ready = ppoll(fds, 3, tp, &waitmask);
    if (ready < 0) {
      if (errno == EINTR) continue;
      die("ppoll");
    }
    if (fds[2].revents) {
      ssize_t n = read(0, buf, sizeof buf);
      if (n <= 0) break; // the parent closed our stdin or died
    }
    if (fds[1].revents & POLLIN) {
      for (ssize_t n; (n = read(fd_b, buf, sizeof buf)) > 0;) {
        ba.packets++;
        if (write(fd_a, buf, (size_t)n) < 0) ba.write_errors++;
      }
    }
    if (fds[0].revents & POLLIN) {
      for (ssize_t n; (n = read(fd_a, buf, sizeof buf)) > 0;) {
        uint64_t arrived = now_ns();
        int echo = is_echo_request(buf, n);
        int64_t echo_index = echo && echo_seen < MAX_ECHO ? (int64_t)echo_seen : -1;
        echo_seen += echo;
        if (echo_index >= 0) echo_held_ns[echo_index] = HELD;
        ab.packets++;
        ab.echo_requests += echo;
        if (loss > 0 && uniform01() < loss) {
          ab.dropped++;
          ab.echo_dropped += echo;
          if (echo_index >= 0) echo_held_ns[echo_index] = DROPPED;
          continue;
        }
        double offset = 0;
        if (jitter_us > 0)
          offset = normal ? jitter_us * standard_normal() : jitter_us * (2 * uniform01() - 1);
        double hold_us = delay_us + offset;
        if (hold_us < 0) hold_us = 0; // a packet cannot leave before it came
        if (heap_len == MAX_QUEUE) {
          ab.queue_full++;
          continue;
        }
        struct held h = {.due = arrived + (uint64_t)llround(hold_us * 1000),
                         .order = pushed++,
                         .arrived = arrived,
                         .echo = echo_index,
                         .data = malloc((size_t)n),
                         .len = (uint32_t)n};
        if (!h.data) die("malloc");
        memcpy(h.data, buf, (size_t)n);
        heap_push(h);
      }
    }
  }
  printf("{\"echoHeldUs\":[");
  uint64_t listed = echo_seen < MAX_ECHO ? echo_seen : MAX_ECHO;
  for (uint64_t i = 0; i < listed; i++) {
    int64_t v = echo_held_ns[i];
    if (v < 0) printf("%s%ld", i ? "," : "", (long)v);
    else printf("%s%.1f", i ? "," : "", (double)v / 1000.0);
  }
  printf("],");
  print_direction("ab", &ab, 1);
  print_direction("ba", &ba, 1);
  printf("\"heldAtExit\":%zu,\"realtime\":%s,\"lateness\":{\"count\":%lu,\"meanUs\":%.1f,"
         "\"p50Us\":%.0f,\"p99Us\":%.0f,\"maxUs\":%.1f}}\n",
         heap_len, realtime ? "true" : "false", late_count,
         late_count ? (double)late_sum_ns / (double)late_count / 1000.0 : 0.0, percentile_us(0.5),
         percentile_us(0.99), (double)late_max_ns / 1000.0);
  fflush(stdout);
  return 0;
}
