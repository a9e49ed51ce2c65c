"""Seed paper 4's workload as a Kubeflow pipeline (compiled with the real KFP compiler into
ml_pipeline.yaml, which kfsim reads unmodified): prepare the training data, train models with
different hyperparameters in parallel over the shared dataset, evaluate them.

Compile: python ml_pipeline.py  (needs `pip install kfp==2.15.2`)
"""
from typing import List

from kfp import compiler, dsl


@dsl.component(base_image="python:3.11")
def prepare(dataset: str) -> str:
    # Reads the raw dataset from object storage and writes the prepared training set.
    return dataset + "-prepared"


@dsl.component(base_image="pytorch/pytorch:2.3.0")
def train(training_set: str, learning_rate: float) -> float:
    # Reads the prepared training set and fits one model.
    return learning_rate


@dsl.component(base_image="python:3.11")
def evaluate(scores: List[float]) -> float:
    # Reads the held-out evaluation set and picks the best model.
    return max(scores)


@dsl.pipeline(name="ml-training-pipeline")
def ml_pipeline(dataset: str = "images", learning_rates: List[float] = [0.1, 0.03, 0.01, 0.003]):
    prepared = prepare(dataset=dataset).set_cpu_request("2").set_memory_request("4Gi").set_caching_options(False)
    with dsl.ParallelFor(learning_rates, parallelism=4) as lr:
        model = train(training_set=prepared.output, learning_rate=lr).set_cpu_request("4").set_memory_request("8Gi").set_caching_options(False)
    evaluate(scores=dsl.Collected(model.output)).set_cpu_request("1").set_memory_request("2Gi").set_caching_options(False)


if __name__ == "__main__":
    compiler.Compiler().compile(ml_pipeline, package_path="ml_pipeline.yaml")
