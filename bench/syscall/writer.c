/* Times write() of `size` bytes on a loopback TCP socket, in blocks: for each line
 * read from stdin (the spin in ns after each write, 0 for none) it makes `iters` writes
 * and prints the wall and CPU ns per call; it exits at end of input. One process for a
 * whole run: the caller changes what is attached between blocks, while this waits.
 * A forked child drains the other end with large reads. */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <sched.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* writer and reader on different CPUs so the reader never preempts the timed loop */
static void pin(int cpu)
{
	cpu_set_t set;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	(void)sched_setaffinity(0, sizeof(set), &set);
}

static double now_ns(clockid_t clk)
{
	struct timespec ts;
	clock_gettime(clk, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void spin(double gap_ns)
{
	double until = now_ns(CLOCK_MONOTONIC) + gap_ns;
	while (now_ns(CLOCK_MONOTONIC) < until) {
	}
}

int main(int argc, char **argv)
{
	long iters = argc > 1 ? atol(argv[1]) : 20000;
	size_t size = argc > 2 ? (size_t)atol(argv[2]) : 1024;
	int ls = socket(AF_INET, SOCK_STREAM, 0);
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
	socklen_t alen = sizeof(a);
	if (ls < 0 || bind(ls, (struct sockaddr *)&a, sizeof(a)) || listen(ls, 1) ||
	    getsockname(ls, (struct sockaddr *)&a, &alen))
		return perror("listen"), 1;
	int c = socket(AF_INET, SOCK_STREAM, 0);
	if (connect(c, (struct sockaddr *)&a, sizeof(a)))
		return perror("connect"), 1;
	int s = accept(ls, NULL, NULL);
	pid_t child = fork();
	if (child == 0) {
		static char big[1 << 20];
		pin(0);
		close(c);
		while (read(s, big, sizeof(big)) > 0) {
		}
		_exit(0);
	}
	close(s);
	if (sysconf(_SC_NPROCESSORS_ONLN) > 1)
		pin(1);
	char *buf = malloc(size);
	const char *head = "POST /bench HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\n";
	memset(buf, 'a', size);
	memcpy(buf, head, strlen(head) < size ? strlen(head) : size);
	char line[64];
	while (fgets(line, sizeof(line), stdin)) {
		/* pacing: spin `gap_ns` after each write (0: flat out), so the ring's consumer
		 * keeps up as it does with real traffic. The spin is the same in every mode and
		 * touches no memory; the caller subtracts it. Sleeping instead costs µs of
		 * wake-up per pause here. */
		double gap_ns = atof(line);
		/* a few writes first, at the same pace, so the block starts warm */
		for (long i = 0; i < iters / 20; i++) {
			if (write(c, buf, size) < 0)
				return perror("write"), 1;
			if (gap_ns > 0)
				spin(gap_ns);
		}
		double t0 = now_ns(CLOCK_MONOTONIC), c0 = now_ns(CLOCK_THREAD_CPUTIME_ID);
		for (long i = 0; i < iters; i++) {
			if (write(c, buf, size) < 0)
				return perror("write"), 1;
			if (gap_ns > 0)
				spin(gap_ns);
		}
		double t1 = now_ns(CLOCK_MONOTONIC), c1 = now_ns(CLOCK_THREAD_CPUTIME_ID);
		/* wall ns per call, and CPU ns per call of this thread (kernel time included,
		 * waiting for the reader or other processes excluded) */
		printf("%.1f %.1f\n", (t1 - t0) / iters, (c1 - c0) / iters);
		fflush(stdout);
	}
	close(c);
	waitpid(child, NULL, 0);
	return 0;
}
