#include "standards/canonical/pesc_codes.h"

#include <algorithm>
#include <array>
#include <utility>

namespace pathbridge::canonical {

Sex SexFromPesc(std::string_view code) {
  if (code == "Female") return Sex::kFemale;
  if (code == "Male") return Sex::kMale;
  if (code == "Unreported" || code == "Unspecified") return Sex::kNotSelected;
  return Sex::kUnspecified;
}

std::string_view SexToPesc(Sex s) {
  switch (s) {
    case Sex::kFemale: return "Female";
    case Sex::kMale: return "Male";
    case Sex::kNotSelected: return "Unreported";
    default: return "";
  }
}

SessionType SessionTypeFromPesc(std::string_view code) {
  if (code.empty()) return SessionType::kUnspecified;
  if (code == "FullYear" || code == "TwelveMonth") return SessionType::kSchoolYear;
  if (code == "Semester") return SessionType::kSemester;
  return SessionType::kTerm;
}

std::string_view SessionTypeToPesc(SessionType t) {
  if (t == SessionType::kSchoolYear) return "FullYear";
  if (t == SessionType::kSemester) return "Semester";
  return "";
}

AwardKind AwardKindFromPescLevel(std::string_view level) {
  static constexpr std::array<std::pair<std::string_view, AwardKind>, 36> kLevels = {{
      {"FrenchBaccalaureate", AwardKind::kDiploma}, {"CEGEP", AwardKind::kDiploma},
      {"1.1", AwardKind::kCertificate}, {"1.2", AwardKind::kCertificate},
      {"1.3", AwardKind::kCertificate}, {"1.4", AwardKind::kCertificate},
      {"1.5", AwardKind::kCertificate}, {"2.0", AwardKind::kCertificate},
      {"2.1", AwardKind::kCertificate}, {"2.2", AwardKind::kCertificate},
      {"2.6", AwardKind::kCertificate}, {"2.7", AwardKind::kCertificate},
      {"4.1", AwardKind::kCertificate}, {"1", AwardKind::kCertificate},
      {"2", AwardKind::kCertificate}, {"4", AwardKind::kCertificate},
      {"6", AwardKind::kCertificate}, {"8", AwardKind::kCertificate},
      {"11", AwardKind::kCertificate}, {"2.3", AwardKind::kDegree}, {"2.4", AwardKind::kDegree},
      {"2.5", AwardKind::kDegree}, {"3.1", AwardKind::kDegree}, {"3.2", AwardKind::kDegree},
      {"4.2", AwardKind::kDegree}, {"4.3", AwardKind::kDegree}, {"4.4", AwardKind::kDegree},
      {"3", AwardKind::kDegree}, {"5", AwardKind::kDegree}, {"7", AwardKind::kDegree},
      {"9", AwardKind::kDegree}, {"10", AwardKind::kDegree}, {"17", AwardKind::kDegree},
      {"18", AwardKind::kDegree}, {"19", AwardKind::kDegree}, {"0.0", AwardKind::kOther},
  }};
  if (level.size() == 3 && level[0] == 'B' && level[1] >= '1' && level[1] <= '6')
    return AwardKind::kDiploma;  // B17..B28, B58..B60
  for (const auto& [code, kind] : kLevels)
    if (code == level) return kind;
  if (level == "2.8" || level == "3.3" || level == "4.0" || level == "4.5") return AwardKind::kOther;
  return AwardKind::kUnspecified;
}

GradeLevel GradeLevelFromPescCreditLevel(std::string_view level) {
  static constexpr std::array<std::pair<std::string_view, GradeLevel>, 7> kGrades = {{
      {"SeventhGrade", GradeLevel::kGrade7}, {"EighthGrade", GradeLevel::kGrade8},
      {"NinthGrade", GradeLevel::kGrade9}, {"TenthGrade", GradeLevel::kGrade10},
      {"EleventhGrade", GradeLevel::kGrade11}, {"TwelfthGrade", GradeLevel::kGrade12},
      {"Grade13", GradeLevel::kGrade13},
  }};
  auto it = std::find_if(kGrades.begin(), kGrades.end(),
                         [&](const auto& g) { return g.first == level; });
  return it == kGrades.end() ? GradeLevel::kUnspecified : it->second;
}

}  // namespace pathbridge::canonical
