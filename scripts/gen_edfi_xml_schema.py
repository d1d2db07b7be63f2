#!/usr/bin/env python3
"""Generates adapters/edfi_xml/schema_table.cc from the Ed-Fi DS 5.2 XSD.

Usage: gen_edfi_xml_schema.py <Ed-Fi-Core.xsd> > adapters/edfi_xml/schema_table.cc

For each Ed-Fi entity the edfi-xml adapter maps, it writes the entity's
element tree in XSD order, one element a line: indentation (depth), the XML
name, the API JSON name ("=" when the element's children belong to the
parent's JSON object: identities, Name, BirthData...), a kind (s text, n
number, b boolean, d descriptor, y school year, o object, g group) and '*'
when it repeats; a repeating descriptor adds its item member name.
"""
import sys
import xml.etree.ElementTree as ET

X = '{http://www.w3.org/2001/XMLSchema}'
ENTITIES = [
    ('StateEducationAgency', 'stateEducationAgencies'),
    ('LocalEducationAgency', 'localEducationAgencies'),
    ('PostSecondaryInstitution', 'postSecondaryInstitutions'),
    ('School', 'schools'),
    ('OrganizationDepartment', 'organizationDepartments'),
    ('Session', 'sessions'),
    ('Course', 'courses'),
    ('CourseOffering', 'courseOfferings'),
    ('Section', 'sections'),
    ('StudentEducationOrganizationAssociation', 'studentEducationOrganizationAssociations'),
    ('Student', 'students'),
    ('StudentSchoolAssociation', 'studentSchoolAssociations'),
    ('StudentSectionAssociation', 'studentSectionAssociations'),
    ('CourseTranscript', 'courseTranscripts'),
    ('StudentAcademicRecord', 'studentAcademicRecords'),
]
FLATTEN = {'Name', 'BirthData', 'Citizenship'}
RENAME = {'CourseIdentificationCode': 'identificationCodes',
          'EducationOrganizationIdentificationCode': 'identificationCodes',
          'CourseLevelCharacteristic': 'levelCharacteristics',
          'EarnedAdditionalCredits': 'earnedAdditionalCredits',
          'ClassPeriodReference': 'classPeriods'}
NUMBERS = {'int', 'integer', 'decimal', 'double', 'short', 'long', 'positiveInteger',
           'nonNegativeInteger', 'float'}

root = ET.parse(sys.argv[1]).getroot()
types = {c.get('name'): c for c in root if c.tag in (X + 'complexType', X + 'simpleType')}


def camel(s):
    return s[0].lower() + s[1:]


def plural(s):
    if s.endswith('y') and not s.endswith(('ay', 'ey', 'oy')):
        return s[:-1] + 'ies'
    if s.endswith(('s', 'x', 'ch', 'sh')):
        return s + 'es'
    return s + 's'


def elements(c):
    out = []
    ext = c.find('.//' + X + 'extension')
    if ext is not None and ext.get('base') in types:
        out += elements(types[ext.get('base')])
    seq = c.find('.//' + X + 'sequence')
    if seq is not None:
        out += [e for e in seq if e.tag == X + 'element']
    return out


def leaf_kind(ty):
    while True:
        if ty is None:
            return 's'
        if ty.startswith('xs:'):
            b = ty[3:]
            return 'b' if b == 'boolean' else 'n' if b in NUMBERS else 's'
        if ty == 'SchoolYearType':
            return 'y'
        t = types.get(ty)
        if t is None or t.tag != X + 'simpleType':
            return None
        r = t.find('.//' + X + 'restriction')
        ty = r.get('base') if r is not None else None


def emit(ctype, depth, entity, in_identity, out):
    for e in elements(types[ctype]):
        name, ty = e.get('name'), e.get('type')
        many = '*' if e.get('maxOccurs', '1') != '1' else ''
        pad = ' ' * depth
        if ty.endswith('DescriptorReferenceType'):
            item = camel(name) if name.endswith('Descriptor') else camel(name) + 'Descriptor'
            if many:
                out.append(f'{pad}{name} {RENAME.get(name, plural(camel(name)))} d* {item}')
            else:
                out.append(f'{pad}{name} {item} d')
            continue
        kind = leaf_kind(ty)
        if kind is not None:
            if kind == 'y' and not in_identity:
                out.append(f'{pad}{name} schoolYearTypeReference o')
                out.append(f'{pad} {name} schoolYear y')
            else:
                out.append(f'{pad}{name} {camel(name)} {kind}{many}')
            continue
        if ty.endswith('ReferenceType'):
            if in_identity:
                out.append(f'{pad}{name} = g')
            elif many:
                out.append(f'{pad}{name} {RENAME.get(name, plural(camel(name)))} o*')
                out.append(f'{pad} {name} {camel(name)} o')
                depth += 1
                pad = ' ' * depth
            else:
                out.append(f'{pad}{name} {camel(name)} o')
            ident = elements(types[ty])
            if ident:
                it = ident[0]
                out.append(f'{pad} {it.get("name")} = g')
                emit(it.get('type'), depth + 2, entity, True, out)
            if many:
                depth -= 1
            continue
        if depth > 6 or ty not in types:
            continue
        if ty == 'Credits' and not many:
            # The API flattens a credits common into prefixed members.
            prefix = camel(name[:-len('Credits')])
            out.append(f'{pad}{name} = g')
            out.append(f'{pad} Credits {camel(name)} n')
            out.append(f'{pad} CreditType {prefix}CreditTypeDescriptor d')
            out.append(f'{pad} CreditConversion {prefix}CreditConversion n')
            continue
        if name in FLATTEN and not many:
            out.append(f'{pad}{name} = g')
        elif many:
            out.append(f'{pad}{name} {RENAME.get(name, plural(camel(name)))} o*')
        else:
            out.append(f'{pad}{name} {camel(name)} o')
        emit(ty, depth + 1, entity, in_identity, out)


lines = []
for entity, resource in ENTITIES:
    lines.append(f'{entity} {resource} o')
    emit(entity, 1, entity, False, lines)

print('// Generated by scripts/gen_edfi_xml_schema.py from Ed-Fi-Core.xsd (DS 5.2); do not edit.')
print('#include "adapters/edfi_xml/schema.h"\n')
print('namespace pathbridge::adapters::edfi_xml {\n')
print('std::string_view SchemaText() {')
print('  static constexpr char kText[] =')
for l in lines:
    print(f'      "{l}\\n"')
print('      ;')
print('  return kText;')
print('}\n')
print('}  // namespace pathbridge::adapters::edfi_xml')
