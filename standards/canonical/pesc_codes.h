// Crosswalks between PESC transcript code values (CoreMain v1.19.0
// enumerations, also used by the earlier versions the adapters read) and the
// canonical code sets (code_sets.h).
//
// Origin: the enumerations and their documentation in
// shared/standards/pesc/xsd/pesc-1.8/CoreMain_v1.19.0.xsd (GenderCodeType,
// SessionTypeType, AcademicAwardLevelType, CourseCreditLevelType).
//
// Thread-safety: pure functions over constant tables.
#pragma once

#include <string_view>

#include "standards/canonical/code_sets.h"
#include "standards/canonical/model.h"

namespace pathbridge::canonical {

// GenderCode: Female, Male, Unreported, Unspecified (the last two read as
// kNotSelected, which writes as Unreported). Non-binary has no PESC code:
// "" for it and kUnspecified.
Sex SexFromPesc(std::string_view code);
std::string_view SexToPesc(Sex s);

// SessionType: FullYear and TwelveMonth are school years, Semester is a
// semester, every other PESC session type (Trimester, Quarter, SummerSession,
// ...) is a term. SessionTypeToPesc gives FullYear, Semester, or "" for the
// rest (the caller keeps the exact PESC code, or writes Other).
SessionType SessionTypeFromPesc(std::string_view code);
std::string_view SessionTypeToPesc(SessionType t);

// AcademicAwardLevel -> award kind, after the enumeration's documentation:
// the B codes, FrenchBaccalaureate and CEGEP are (high school) diplomas;
// certificates, statements and postsecondary certificates or diplomas
// (1.x, 2.0-2.2, 2.6, 2.7, 4.1, and IPEDS 1, 2, 4, 6, 8, 11) are
// certificates; associate, baccalaureate, professional, master's and
// doctoral degrees (2.3-2.5, 3.1, 3.2, 4.2-4.4, and IPEDS 3, 5, 7, 9, 10,
// 17-19) are degrees; 0.0, 2.8, 3.3, 4.0, 4.5 are kOther; an unknown code
// is kUnspecified.
AwardKind AwardKindFromPescLevel(std::string_view level);

// CourseCreditLevel grade values (SeventhGrade ... TwelfthGrade, Grade13) as
// grade levels; kUnspecified for the postsecondary levels.
GradeLevel GradeLevelFromPescCreditLevel(std::string_view level);

}  // namespace pathbridge::canonical
