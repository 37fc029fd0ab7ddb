# Generates the synthetic demo patients from cds-hooks/examples/patient-view-trd.request.json (run from the repository root).
# Codes: RxNorm ingredient codes from src/KetamineCds.Core/Knowledge/Data/ingredients.json, SNOMED/ICD-10-CM from concept-sets.json.
import json, copy, os
src = json.load(open('cds-hooks/examples/patient-view-trd.request.json'))['prefetch']
OUT = 'src/KetamineCds.Api/Demo/Patients'
RX = 'http://www.nlm.nih.gov/research/umls/rxnorm'
SCT = 'http://snomed.info/sct'
ICD = 'http://hl7.org/fhir/sid/icd-10-cm'
LOINC = 'http://loinc.org'

def base_resources(pid):
    res = []
    for key, v in src.items():
        if v.get('resourceType') == 'Bundle':
            for e in v.get('entry', []):
                res.append(copy.deepcopy(e['resource']))
        else:
            res.append(copy.deepcopy(v))
    for r in res:
        if r['resourceType'] == 'Patient':
            r['id'] = pid
        else:
            r['subject'] = {'reference': 'Patient/' + pid}
            if r['resourceType'] == 'AllergyIntolerance':
                r.pop('subject'); r['patient'] = {'reference': 'Patient/' + pid}
    return res

def condition(pid, rid, system, code, display, onset, category='problem-list-item'):
    return {'resourceType': 'Condition', 'id': rid,
        'clinicalStatus': {'coding': [{'system': 'http://terminology.hl7.org/CodeSystem/condition-clinical', 'code': 'active'}]},
        'verificationStatus': {'coding': [{'system': 'http://terminology.hl7.org/CodeSystem/condition-ver-status', 'code': 'confirmed'}]},
        'category': [{'coding': [{'system': 'http://terminology.hl7.org/CodeSystem/condition-category', 'code': category}]}],
        'code': {'coding': [{'system': system, 'code': code, 'display': display}], 'text': display},
        'subject': {'reference': 'Patient/' + pid}, 'onsetDateTime': onset}

def medreq(pid, rid, rxcui, display, text, start, status='active', dose_mg=None, freq=1, end=None):
    d = {'text': text, 'timing': {'repeat': {'frequency': freq, 'period': 1, 'periodUnit': 'd'}}}
    if dose_mg is not None:
        d['doseAndRate'] = [{'doseQuantity': {'value': dose_mg, 'unit': 'mg', 'system': 'http://unitsofmeasure.org', 'code': 'mg'}}]
    r = {'resourceType': 'MedicationRequest', 'id': rid, 'status': status, 'intent': 'order',
        'medicationCodeableConcept': {'coding': [{'system': RX, 'code': rxcui, 'display': display}], 'text': text.split(' by ')[0] if False else display},
        'subject': {'reference': 'Patient/' + pid}, 'authoredOn': start, 'dosageInstruction': [d]}
    vp = {'start': start}
    if end: vp['end'] = end
    r['dispenseRequest'] = {'validityPeriod': vp, 'numberOfRepeatsAllowed': 2,
        'expectedSupplyDuration': {'value': 30, 'unit': 'days', 'system': 'http://unitsofmeasure.org', 'code': 'd'}}
    return r

def bp(pid, rid, when, sys_, dia):
    r = copy.deepcopy([x for x in base_resources(pid) if x.get('id') == 'bp-1'][0])
    r['id'] = rid; r['effectiveDateTime'] = when
    r['component'][0]['valueQuantity']['value'] = sys_
    r['component'][1]['valueQuantity']['value'] = dia
    return r

def patient(pid, given, family, gender, birth):
    return {'resourceType': 'Patient', 'id': pid, 'name': [{'family': family, 'given': [given]}], 'gender': gender, 'birthDate': birth}

def write(pid, given, family, gender, birth, resources, title, expect):
    res = [r for r in resources if r['resourceType'] != 'Patient']
    bundle = {'resourceType': 'Bundle', 'id': pid, 'type': 'collection',
        'meta': {'tag': [{'system': 'urn:ketamine-cds:demo', 'code': 'synthetic', 'display': 'Synthetic demo patient (not a real person)'}]},
        'entry': [{'fullUrl': f'Patient/{pid}', 'resource': patient(pid, given, family, gender, birth)}] +
                 [{'fullUrl': f"{r['resourceType']}/{r['id']}", 'resource': r} for r in res]}
    json.dump(bundle, open(f'{OUT}/{pid}.json', 'w'), indent=2)
    index.append({'id': pid, 'file': f'{pid}.json', 'title': title, 'shiftDates': True, **expect})

index = []
P = 'demo-trd-candidate'
write(P, 'Dana', 'Rivera', 'female', '1978-04-12', base_resources(P), 'TRD candidate: three failed adequate trials', {})

P = 'demo-trd-avm'
r = base_resources(P) + [condition(P, 'avm-1', SCT, '234142008', 'Cerebral arteriovenous malformation', '2019-03-02')]
write(P, 'Marcus', 'Okafor', 'male', '1969-09-30', r, 'TRD with a label contraindication (cerebral AVM)', {})

P = 'demo-trd-benzo-opioid'
r = base_resources(P) + [
    medreq(P, 'rx-lorazepam', '6470', 'lorazepam', '1 mg at bedtime', '2026-10-01', dose_mg=1),
    medreq(P, 'rx-oxycodone', '7804', 'oxycodone', '5 mg every 6 hours as needed', '2026-10-15', dose_mg=5, freq=4)]
write(P, 'Helen', 'Novak', 'female', '1972-01-21', r, 'TRD on a benzodiazepine and an opioid', {})

P = 'demo-trd-possible'
r = base_resources(P)
for x in r:
    if x['resourceType'] == 'MedicationRequest':
        x['medicationCodeableConcept'] = {'coding': [{'system': RX, 'code': '36437' if 'sertraline' in x['id'] else '321988', 'display': 'sertraline' if 'sertraline' in x['id'] else 'escitalopram'}], 'text': 'sertraline' if 'sertraline' in x['id'] else 'escitalopram'}
        x['dosageInstruction'] = [{'text': 'as directed'}]
    if x['resourceType'] == 'MedicationStatement':
        x['medicationCodeableConcept'] = {'text': 'venlafaxine'}
        x['dosage'] = [{'text': 'as directed'}]
write(P, 'Omar', 'Haddad', 'male', '1985-06-08', r, 'TRD possible: trial doses missing', {})

P = 'demo-one-trial'
r = [x for x in base_resources(P) if x['resourceType'] != 'MedicationStatement' and x.get('id') != 'rx-escitalopram']
for x in r:
    if x['resourceType'] == 'Observation' and x['id'] == 'phq9-1':
        x['effectiveDateTime'] = '2025-05-01'
write(P, 'Grace', 'Lindqvist', 'female', '1990-11-17', r, 'One adequate trial only (not TRD)', {})

P = 'demo-bipolar'
r = base_resources(P)
for x in r:
    if x['resourceType'] == 'Condition':
        x['code'] = {'coding': [{'system': SCT, 'code': '13746004', 'display': 'Bipolar disorder'}], 'text': 'Bipolar disorder, current episode depressed'}
write(P, 'Victor', 'Castellanos', 'male', '1981-02-14', r, 'Bipolar depression', {})

P = 'demo-pregnant'
r = base_resources(P) + [condition(P, 'preg-1', SCT, '77386006', 'Pregnancy', '2026-09-20', 'encounter-diagnosis')]
write(P, 'Aisha', 'Bello', 'female', '1993-07-03', r, 'TRD and pregnancy', {})

P = 'demo-high-bp'
r = base_resources(P)
for x in r:
    if x.get('id') == 'bp-1':
        x['component'][0]['valueQuantity']['value'] = 164
        x['component'][1]['valueQuantity']['value'] = 98
write(P, 'Frank', 'Moreau', 'male', '1962-05-25', r, 'TRD with elevated blood pressure (164/98)', {})

P = 'demo-under-18'
write(P, 'Lily', 'Chen', 'female', '2010-03-09', base_resources(P), 'Adolescent (16) with three failed trials', {})

P = 'demo-on-esketamine'
r = base_resources(P) + [{
    'resourceType': 'MedicationRequest', 'id': 'rx-esketamine', 'status': 'active', 'intent': 'order',
    'medicationCodeableConcept': {'coding': [{'system': RX, 'code': '2119365', 'display': 'esketamine'}], 'text': 'Spravato 56 mg nasal spray dose kit'},
    'subject': {'reference': 'Patient/' + P}, 'authoredOn': '2026-11-10',
    'dosageInstruction': [{'text': '56 mg intranasally twice weekly under REMS supervision', 'route': {'text': 'nasal'},
        'timing': {'repeat': {'frequency': 2, 'period': 1, 'periodUnit': 'wk'}},
        'doseAndRate': [{'doseQuantity': {'value': 56, 'unit': 'mg', 'system': 'http://unitsofmeasure.org', 'code': 'mg'}}]}]}]
r.append(medreq(P, 'rx-lorazepam', '6470', 'lorazepam', '0.5 mg at bedtime', '2026-10-20', dose_mg=0.5))
write(P, 'Samuel', 'Adeyemi', 'male', '1975-12-01', r, 'Already on esketamine (and lorazepam)', {})

P = 'demo-hostile-text'
r = base_resources(P)
for x in r:
    if x.get('id') == 'rx-escitalopram':
        x['medicationCodeableConcept']['text'] = 'Lexapro <script>window.__cardScript = 1</script><img src=x onerror="window.__cardScript = 2"> 20 mg tablet'
write(P, 'Test', 'Hostile-Text', 'female', '1980-01-01', r, 'Security check: card text holding <script>', {})

index.append({"id": "8adf7251-257f-4b45-8ef5-0a6b3b9fe0ef", "file": "synthea-milan-beatty.json", "title": "Synthea: major depression, fluoxetine (real-world-shaped generated record)", "shiftDates": False})
json.dump({"anchorDate": "2026-11-27", "patients": index}, open(f'{OUT}/index.json', 'w'), indent=2)
