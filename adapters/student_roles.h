// StudentRoles: which persons a students-only format (Ed-Fi students, SIF
// StudentPersonal) writes. A OneRoster 1.2 bundle keeps roles in roles.csv,
// read after users.csv, so its persons arrive with no role: a teacher or a
// guardian is told from a student only by the records that come later (a
// role, an enrollment). An encoder passes every record here as it arrives,
// keeps a mark for the student each names, and asks at its end, when it
// writes the persons it spooled:
//   - a person with the student role is a student, one with another role is not;
//   - a person with no role is a student if a student enrollment (school or
//     class), a course result or an award names it, or if nothing in the
//     input carries a role other than student (then there are no staff or
//     guardians to leave out: an Ed-Fi studentEducationOrganizationAssociation
//     names a student that no enrollment may name).
//
// Thread-safety: none; used by one encoder on one thread.
#pragma once

#include <string_view>

#include "standards/canonical/model.h"

namespace pathbridge::adapters {

class StudentRoles {
 public:
  // Notes whether `record` carries a role, and returns the id of the
  // student it names ("" if none): the encoder keeps a mark for that person.
  std::string_view NamedStudent(const canonical::Record& record) {
    using canonical::Role;
    if (const auto* p = std::get_if<canonical::Person>(&record)) {
      others_ = others_ || NotStudent(p->role);
      return p->role == Role::kStudent ? std::string_view(p->id) : std::string_view();
    }
    if (const auto* e = std::get_if<canonical::Enrollment>(&record)) {
      others_ = others_ || NotStudent(e->role);
      return e->role == Role::kStudent ? std::string_view(e->person_id) : std::string_view();
    }
    if (const auto* r = std::get_if<canonical::CourseResult>(&record)) return r->person_id;
    if (const auto* a = std::get_if<canonical::AchievementAward>(&record)) return a->person_id;
    return {};
  }

  // Whether a person of the student role or none is written as a student;
  // `named`: whether a record named it as one (a person with the student
  // role names itself).
  bool IsStudent(bool named) const { return named || !others_; }

 private:
  static bool NotStudent(canonical::Role r) {
    return r != canonical::Role::kUnspecified && r != canonical::Role::kStudent;
  }

  bool others_ = false;  // a role other than student was seen
};

}  // namespace pathbridge::adapters
