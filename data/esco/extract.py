#!/usr/bin/env python3
"""Makes data/esco/occupations.tsv.gz from the official ESCO CSV export (English).

Usage: python3 data/esco/extract.py ../shared/data/esco data/esco/occupations.tsv.gz

Keeps only what the evaluation needs: each occupation's ISCO unit group, its preferred
label and its essential and optional skills (as small numbers), and the skill-to-skill
relations between those skills (essential 0.8, optional 0.5, as `trellis import esco`).
"""
import csv, gzip, sys

src, out = sys.argv[1].rstrip('/') + '/', sys.argv[2]
occupations = {}
for r in csv.DictReader(open(src + 'occupations_en.csv', encoding='utf-8')):
    occupations[r['conceptUri']] = (r['iscoGroup'], r['preferredLabel'].replace('\t', ' '))
links = {}
for r in csv.DictReader(open(src + 'occupationSkillRelations.csv', encoding='utf-8')):
    if r['occupationUri'] in occupations:
        e, o = links.setdefault(r['occupationUri'], ([], []))
        (e if r['relationType'] == 'essential' else o).append(r['skillUri'])
skills = {u: i for i, u in enumerate(sorted({s for e, o in links.values() for s in e + o}))}
relations = {}
for r in csv.DictReader(open(src + 'skillSkillRelations.csv', encoding='utf-8')):
    a, b = r['originalSkillUri'], r['relatedSkillUri']
    if a in skills and b in skills and a != b:
        key = tuple(sorted((skills[a], skills[b])))
        strength = 0.8 if r['relationType'] == 'essential' else 0.5
        relations[key] = max(strength, relations.get(key, 0))
with gzip.open(out, 'wt', encoding='utf-8', compresslevel=9) as f:
    f.write('# ESCO occupations and skills (European Commission, https://esco.ec.europa.eu), see README.md\n')
    f.write('# O isco label essential optional | R skill skill strength\n')
    for uri in sorted(links):
        isco, label = occupations[uri]
        e, o = links[uri]
        ids = lambda xs: ' '.join(str(skills[x]) for x in sorted(set(xs), key=skills.get))
        f.write(f'O\t{isco}\t{label}\t{ids(e)}\t{ids(o)}\n')
    for (a, b), s in sorted(relations.items()):
        f.write(f'R\t{a}\t{b}\t{s}\n')
print(len(links), 'occupations,', len(skills), 'skills,', len(relations), 'relations')
