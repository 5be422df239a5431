/* A STREAM-like bandwidth bound for BLAS-1 and optimizer steps: copy (a = b) and triad
 * (a = b + s*c) over float arrays far larger than the caches, with OpenMP threads.
 * Build and run: gcc -O3 -march=native -fopenmp stream.c -o stream && OMP_NUM_THREADS=2 ./stream
 * Prints the best of 10 repetitions in GB/s, counting bytes read + written (copy 8 B/elem, triad 12). */
#include <stdio.h>
#include <stdlib.h>
#include <omp.h>

#define N (1L << 26) /* 64 Mi floats = 256 MiB per array */

int main(void) {
    float *a = aligned_alloc(64, N * sizeof(float));
    float *b = aligned_alloc(64, N * sizeof(float));
    float *c = aligned_alloc(64, N * sizeof(float));
    #pragma omp parallel for schedule(static)
    for (long i = 0; i < N; i++) { a[i] = 0; b[i] = 1; c[i] = 2; }
    double best_copy = 1e30, best_triad = 1e30;
    for (int rep = 0; rep < 10; rep++) {
        double t = omp_get_wtime();
        #pragma omp parallel for schedule(static)
        for (long i = 0; i < N; i++) a[i] = b[i];
        t = omp_get_wtime() - t;
        if (t < best_copy) best_copy = t;
        t = omp_get_wtime();
        #pragma omp parallel for schedule(static)
        for (long i = 0; i < N; i++) a[i] = b[i] + 3.0f * c[i];
        t = omp_get_wtime() - t;
        if (t < best_triad) best_triad = t;
    }
    printf("threads %d copy %.1f GB/s triad %.1f GB/s (check %g)\n", omp_get_max_threads(),
           8.0 * N / best_copy / 1e9, 12.0 * N / best_triad / 1e9, (double) a[N / 2]);
    return 0;
}
