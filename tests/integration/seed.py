"""Seeds the emulator with what a stack only looks up: a Secrets Manager secret, the on-premises
VPN gateways, a Route 53 zone and an issued ACM certificate per domain. Prints the ids of the
VPN gateways the emulator chose, one per line (the stack under test is given them): `IT_GATEWAYS`
of them (default 1), since a gateway is attached to one VPC at a time and each workspace of one
account has its own.

  seed.py ENDPOINT SECRET_NAME KEY,KEY,... ZONE DOMAIN [DOMAIN...]

Each key of the secret gets the value `integration-KEY`."""
import datetime, json, os, sys
import boto3
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

endpoint, secret, keys, zone, domains = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4], sys.argv[5:]
region = os.environ.get("IT_REGION", "us-east-1")
kw = dict(region_name=region, endpoint_url=endpoint, aws_access_key_id="test", aws_secret_access_key="test")

boto3.client("secretsmanager", **kw).create_secret(
    Name=secret,
    SecretString=json.dumps({key: f"integration-{key}" for key in keys.split(",")}),
)
gateways = [
    boto3.client("ec2", **kw).create_vpn_gateway(Type="ipsec.1")["VpnGateway"]["VpnGatewayId"]
    for _ in range(int(os.environ.get("IT_GATEWAYS", "1")))
]
boto3.client("route53", **kw).create_hosted_zone(Name=zone, CallerReference="pmigc-integration")

for domain in domains:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, domain)])
    now = datetime.datetime.now(datetime.timezone.utc)
    cert = (
        x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=30))
        .add_extension(x509.SubjectAlternativeName([x509.DNSName(domain)]), critical=False)
        .sign(key, hashes.SHA256())
    )
    boto3.client("acm", **kw).import_certificate(
        Certificate=cert.public_bytes(serialization.Encoding.PEM),
        PrivateKey=key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()),
    )
print("\n".join(gateways))
