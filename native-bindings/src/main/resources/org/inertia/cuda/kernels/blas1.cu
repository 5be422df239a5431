// Float32 level-1 kernels of Inertia's CUDA bindings, compiled at run time by NVRTC (CudaKernels).
// extern "C" keeps the names unmangled for cuModuleGetFunction.

// y[i] <- a * x[i] + y[i] for i < n; a grid-stride loop, so any grid size covers any n.
extern "C" __global__ void saxpy(long long n, float a, const float* __restrict__ x, float* __restrict__ y) {
    for (long long i = blockIdx.x * (long long) blockDim.x + threadIdx.x; i < n;
         i += (long long) gridDim.x * blockDim.x) {
        y[i] = fmaf(a, x[i], y[i]);
    }
}
