#!/usr/bin/env python3
"""Derive Sesame's compact protocol models from botocore's service models.

Regenerate (commit the output; it is generated, do not edit by hand):
    python3 scripts/extract-models.py [BOTOCORE_DATA_DIR]
BOTOCORE_DATA_DIR defaults to the installed botocore's `data` folder. Writes
src/protocols/models/{ses,sesv2,iam,sts}.json: every operation and shape of each service, keeping
only what the codecs and the validator read (no documentation, examples or deprecation notes).
"""
import gzip
import json
import os
import sys

SERVICES = {
    'ses': 'ses/2010-12-01',
    'sesv2': 'sesv2/2019-09-27',
    'iam': 'iam/2010-05-08',
    'sts': 'sts/2011-06-15',
}
METADATA_KEYS = ('protocol', 'apiVersion', 'xmlNamespace', 'signingName', 'endpointPrefix', 'serviceId', 'jsonVersion')
SHAPE_KEYS = ('type', 'required', 'enum', 'min', 'max', 'pattern', 'flattened', 'timestampFormat',
              'locationName', 'xmlName', 'sensitive', 'exception', 'fault', 'error', 'payload')
MEMBER_KEYS = ('shape', 'location', 'locationName', 'queryName', 'flattened', 'xmlName',
               'xmlAttribute', 'timestampFormat', 'jsonvalue', 'idempotencyToken')
REF_KEYS = ('shape', 'locationName', 'flattened', 'xmlName')


def load(data_dir, rel):
    base = os.path.join(data_dir, rel, 'service-2.json')
    if os.path.exists(base):
        with open(base, encoding='utf-8') as f:
            return json.load(f)
    with gzip.open(base + '.gz', 'rt', encoding='utf-8') as f:
        return json.load(f)


def pick(src, keys):
    return {k: src[k] for k in keys if k in src}


def compact_shape(shape):
    out = pick(shape, SHAPE_KEYS)
    if 'members' in shape:
        out['members'] = {name: pick(ref, MEMBER_KEYS) for name, ref in shape['members'].items()}
    for ref_key in ('member', 'key', 'value'):
        if ref_key in shape:
            out[ref_key] = pick(shape[ref_key], REF_KEYS)
    return out


def compact_operation(op):
    out = {'http': pick(op['http'], ('method', 'requestUri', 'responseCode'))}
    if 'input' in op:
        out['input'] = op['input']['shape']
    if 'output' in op:
        out['output'] = op['output']['shape']
        if 'resultWrapper' in op['output']:
            out['resultWrapper'] = op['output']['resultWrapper']
    if op.get('errors'):
        out['errors'] = [e['shape'] for e in op['errors']]
    return out


def compact(model):
    meta = pick(model['metadata'], METADATA_KEYS)
    # IAM and STS models omit signingName: the endpoint prefix is the signing name then.
    meta.setdefault('signingName', model['metadata']['endpointPrefix'])
    return {
        'metadata': meta,
        'operations': {name: compact_operation(op) for name, op in sorted(model['operations'].items())},
        'shapes': {name: compact_shape(s) for name, s in sorted(model['shapes'].items())},
    }


def main():
    if len(sys.argv) > 1:
        data_dir = sys.argv[1]
    else:
        import botocore
        data_dir = os.path.join(os.path.dirname(botocore.__file__), 'data')
    out_dir = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', 'protocols', 'models')
    os.makedirs(out_dir, exist_ok=True)
    for name, rel in SERVICES.items():
        model = compact(load(data_dir, rel))
        path = os.path.join(out_dir, name + '.json')
        with open(path, 'w', encoding='utf-8') as f:
            json.dump(model, f, separators=(',', ':'), sort_keys=False, ensure_ascii=False)
            f.write('\n')
        print(f'{path}: {len(model["operations"])} operations, {len(model["shapes"])} shapes, '
              f'{os.path.getsize(path)} bytes')


if __name__ == '__main__':
    main()
