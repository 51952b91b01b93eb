"""``python3 -m nns_kernel install [...]`` writes the kernelspec; anything else starts the kernel
(the kernelspec's command line: ``python3 -m nns_kernel -f CONNECTION_FILE``)."""

import sys


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "install":
        from .install import main as install
        install(sys.argv[2:])
        return
    from ipykernel.kernelapp import IPKernelApp
    from .kernel import NNSKernel
    IPKernelApp.launch_instance(kernel_class=NNSKernel)


if __name__ == "__main__":
    main()
