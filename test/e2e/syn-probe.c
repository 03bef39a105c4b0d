/*
 * syn-probe — sends one raw TCP SYN out of a pod's interface, addressed to
 * DST_IP:DST_PORT but framed for GW_MAC (the pod's default gateway, the node's
 * bridge), and reports what comes back. The frame bypasses the pod's own
 * routing (which would keep 127.0.0.1 on the pod's loopback), so the node
 * routes it as it would a martian from a hostile pod (CVE-2020-8558).
 *
 *   syn-probe IFACE GW_MAC DST_IP DST_PORT [TIMEOUT_MS]
 *
 * Prints one line and exits: "SYN-ACK" (0), "RST" (1), "no answer" (2);
 * 3 on a usage or socket error (message on stderr). Needs CAP_NET_RAW.
 * Built static by hardening-network.test.ts, so it runs in the busybox image.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <net/ethernet.h>
#include <net/if.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/tcp.h>
#include <netpacket/packet.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

static int fail(const char *what) {
  fprintf(stderr, "syn-probe: %s: %s\n", what, strerror(errno));
  return 3;
}

static uint16_t checksum(const void *data, size_t len, uint32_t sum) {
  const uint8_t *p = data;
  for (; len > 1; len -= 2, p += 2) sum += (uint32_t)p[0] << 8 | p[1];
  if (len) sum += (uint32_t)p[0] << 8;
  while (sum >> 16) sum = (sum & 0xffff) + (sum >> 16);
  return htons((uint16_t)~sum);
}

static long now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int main(int argc, char **argv) {
  if (argc < 5) {
    fprintf(stderr, "usage: syn-probe IFACE GW_MAC DST_IP DST_PORT [TIMEOUT_MS]\n");
    return 3;
  }
  const char *ifname = argv[1];
  unsigned mac[6];
  if (sscanf(argv[2], "%x:%x:%x:%x:%x:%x", &mac[0], &mac[1], &mac[2], &mac[3], &mac[4], &mac[5]) != 6) {
    fprintf(stderr, "syn-probe: GW_MAC \"%s\" is not a MAC address\n", argv[2]);
    return 3;
  }
  struct in_addr dst;
  if (inet_pton(AF_INET, argv[3], &dst) != 1) {
    fprintf(stderr, "syn-probe: DST_IP \"%s\" is not an IPv4 address\n", argv[3]);
    return 3;
  }
  uint16_t dport = (uint16_t)atoi(argv[4]);
  long timeout = argc > 5 ? atol(argv[5]) : 2000;

  int fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_IP));
  if (fd < 0) return fail("socket(AF_PACKET)");
  struct ifreq ifr;
  memset(&ifr, 0, sizeof ifr);
  snprintf(ifr.ifr_name, IFNAMSIZ, "%s", ifname);
  if (ioctl(fd, SIOCGIFADDR, &ifr) < 0) return fail("SIOCGIFADDR");
  struct in_addr src = ((struct sockaddr_in *)&ifr.ifr_addr)->sin_addr;
  unsigned ifindex = if_nametoindex(ifname);
  if (!ifindex) return fail("if_nametoindex");

  struct sockaddr_ll to;
  memset(&to, 0, sizeof to);
  to.sll_family = AF_PACKET;
  to.sll_protocol = htons(ETH_P_IP);
  to.sll_ifindex = (int)ifindex;
  to.sll_halen = 6;
  for (int i = 0; i < 6; i++) to.sll_addr[i] = (uint8_t)mac[i];
  if (bind(fd, (struct sockaddr *)&to, sizeof to) < 0) return fail("bind");

  uint16_t sport = (uint16_t)(40000 + getpid() % 20000);
  uint32_t seq = (uint32_t)now_ms() * 2654435761u;
  uint8_t pkt[40];
  memset(pkt, 0, sizeof pkt);
  struct iphdr *ip = (struct iphdr *)pkt;
  ip->version = 4;
  ip->ihl = 5;
  ip->tot_len = htons(sizeof pkt);
  ip->id = htons((uint16_t)getpid());
  ip->ttl = 64;
  ip->protocol = IPPROTO_TCP;
  ip->saddr = src.s_addr;
  ip->daddr = dst.s_addr;
  ip->check = checksum(ip, 20, 0);
  struct tcphdr *tcp = (struct tcphdr *)(pkt + 20);
  tcp->source = htons(sport);
  tcp->dest = htons(dport);
  tcp->seq = htonl(seq);
  tcp->doff = 5;
  tcp->syn = 1;
  tcp->window = htons(64240);
  /* The TCP checksum covers a pseudo-header: addresses, protocol, length. */
  uint32_t pseudo = 0;
  pseudo += ntohs((uint16_t)(src.s_addr & 0xffff)) + ntohs((uint16_t)(src.s_addr >> 16));
  pseudo += ntohs((uint16_t)(dst.s_addr & 0xffff)) + ntohs((uint16_t)(dst.s_addr >> 16));
  pseudo += IPPROTO_TCP + 20;
  tcp->check = checksum(tcp, 20, pseudo);

  long end = now_ms() + timeout;
  long next_send = 0;
  for (;;) {
    long now = now_ms();
    if (now >= end) break;
    /* Resent every 500 ms: one lost frame must not read as "no answer". */
    if (now >= next_send) {
      if (sendto(fd, pkt, sizeof pkt, 0, (struct sockaddr *)&to, sizeof to) < 0) return fail("sendto");
      next_send = now + 500;
    }
    struct pollfd pfd = {.fd = fd, .events = POLLIN};
    long wait = (next_send < end ? next_send : end) - now;
    if (poll(&pfd, 1, (int)wait) <= 0) continue;
    uint8_t buf[2048];
    ssize_t n = recv(fd, buf, sizeof buf, 0);
    if (n < 40) continue;
    struct iphdr *rip = (struct iphdr *)buf;
    if (rip->version != 4 || rip->protocol != IPPROTO_TCP) continue;
    if (rip->saddr != dst.s_addr || rip->daddr != src.s_addr) continue;
    if ((size_t)n < (size_t)rip->ihl * 4 + 20) continue;
    struct tcphdr *rt = (struct tcphdr *)(buf + rip->ihl * 4);
    if (rt->source != htons(dport) || rt->dest != htons(sport)) continue;
    if (rt->syn && rt->ack) {
      puts("SYN-ACK");
      return 0;
    }
    if (rt->rst) {
      puts("RST");
      return 1;
    }
  }
  puts("no answer");
  return 2;
}
