"""A local S3-compatible server for the tests of shared storage: moto in server mode, answering
real HTTP on a free port of the loopback, so that django-storages and boto3 talk to it exactly
as they would to a bucket elsewhere."""

import uuid

import boto3
import pytest
from moto.server import ThreadedMotoServer

# The server takes any credentials; these only have to be the same on both sides.
ACCESS_KEY = "attest-test"
SECRET_KEY = "attest-test-secret"
REGION = "us-east-1"


@pytest.fixture(scope="session")
def s3_endpoint():
    """The URL of a running S3-compatible server, for the whole test session."""
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def s3_client(endpoint: str):
    return boto3.client(
        "s3",
        endpoint_url=endpoint,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
        region_name=REGION,
    )


@pytest.fixture
def s3_bucket(s3_endpoint):
    """An empty bucket of its own for one test: its name and a boto3 client to look inside."""
    client = s3_client(s3_endpoint)
    name = f"attest-{uuid.uuid4().hex[:16]}"
    client.create_bucket(Bucket=name)
    yield name, client
    for item in client.list_objects_v2(Bucket=name).get("Contents", []):
        client.delete_object(Bucket=name, Key=item["Key"])
    client.delete_bucket(Bucket=name)
