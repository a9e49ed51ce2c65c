"""Seed paper 1's step written as a Kubeflow pipeline (compiled with the KFP SDK into
container_count_kfp.yaml, which kfsim reads unmodified): a ParallelFor over N chunks of a CPU-bound
computation, then a join. container-count-kfp.yaml (beside it) runs it as container-count.yaml runs the
ParallelFor kind; the results agree (KFPContainerCountTests).

Compile: python container_count_kfp.py  (needs `pip install kfp==2.15.2`)
"""
from typing import List

from kfp import compiler, dsl


@dsl.component(base_image="python:3.11")
def compute(chunk: int) -> int:
    # A CPU-bound share of the task (1,200 core-seconds split over the chunks, plus a fixed cost).
    return chunk


@dsl.component(base_image="python:3.11")
def join(parts: List[int]) -> int:
    return sum(parts)


@dsl.pipeline(name="container-count")
def container_count(chunks: List[int] = [0, 1, 2, 3, 4, 5, 6, 7]):
    with dsl.ParallelFor(chunks) as chunk:
        part = compute(chunk=chunk).set_caching_options(False)
    join(parts=dsl.Collected(part.output)).set_caching_options(False)


if __name__ == "__main__":
    compiler.Compiler().compile(container_count, package_path="container_count_kfp.yaml")
