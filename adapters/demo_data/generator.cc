#include "adapters/demo_data/generator.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cinttypes>
#include <cstdio>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

#include "adapters/registry.h"

namespace pathbridge::adapters::demo_data {
namespace {

using namespace canonical;

constexpr int kGrades = 13;  // KG, 1..12
constexpr std::string_view kModified = "2024-08-01T12:00:00Z";
constexpr std::string_view kYearBegin = "2024-08-19";
constexpr std::string_view kYearEnd = "2025-06-06";

// splitmix64: tiny, fast, and a stream depends only on its seed, so any
// record can be drawn again from (seed, kind, index) without storing it.
class Rng {
 public:
  Rng(uint64_t seed, uint64_t kind, uint64_t index)
      : s_(Mix(Mix(Mix(seed) ^ kind) ^ index)) {}
  uint64_t Next() {
    s_ += 0x9E3779B97F4A7C15ull;
    return Mix(s_);
  }
  uint64_t Below(uint64_t n) { return Next() % n; }
  double Uniform() { return static_cast<double>(Next() >> 11) * 0x1.0p-53; }
  bool Chance(double p) { return Uniform() < p; }
  template <typename C>
  const auto& Pick(const C& c) {
    return c[Below(std::size(c))];
  }

 private:
  static uint64_t Mix(uint64_t z) {
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  uint64_t s_;
};

enum Kind : uint64_t { kDistrictKind = 1, kStudentKind, kGuardianKind, kTeacherKind };

// Common US given and family names (SSA and Census lists), mixed origins.
constexpr std::array<std::string_view, 40> kFemaleNames{
    "Olivia", "Emma", "Charlotte", "Amelia", "Sophia", "Mia", "Isabella", "Ava", "Evelyn",
    "Luna", "Harper", "Sofia", "Camila", "Eleanor", "Elizabeth", "Violet", "Scarlett", "Emily",
    "Hazel", "Lily", "Gianna", "Aurora", "Penelope", "Aria", "Nora", "Chloe", "Ellie", "Mila",
    "Avery", "Layla", "Abigail", "Ximena", "Valentina", "Aaliyah", "Priya", "Mei", "Fatima",
    "Zoe", "Naomi", "Leah"};
constexpr std::array<std::string_view, 40> kMaleNames{
    "Liam", "Noah", "Oliver", "James", "Elijah", "Mateo", "Theodore", "Henry", "Lucas",
    "William", "Benjamin", "Levi", "Sebastian", "Jack", "Ezra", "Michael", "Daniel", "Leo",
    "Owen", "Samuel", "Hudson", "Alexander", "Asher", "Luca", "Ethan", "John", "David",
    "Jackson", "Joseph", "Mason", "Santiago", "Diego", "Jayden", "Malik", "Arjun", "Wei",
    "Omar", "Isaiah", "Caleb", "Andre"};
constexpr std::array<std::string_view, 60> kFamilyNames{
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
    "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
    "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
    "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
    "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
    "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Kim", "Patel", "Chen", "Singh",
    "Washington", "Okafor", "Cohen", "Murphy", "O'Brien", "Nakamura"};
constexpr std::array<std::string_view, 30> kSchoolNames{
    "Lincoln", "Washington", "Jefferson", "Roosevelt", "Madison", "Franklin", "Kennedy",
    "Maple", "Oak Grove", "Cedar", "Willow", "Sunset", "Lakeview", "Riverside", "Hillcrest",
    "Pinecrest", "Fairview", "Meadowbrook", "Eastside", "Westwood", "Northgate", "Southridge",
    "Chavez", "King", "Earhart", "Sequoia", "Valley Vista", "Bayside", "Canyon", "Mesa"};
constexpr std::array<std::string_view, 8> kSchoolSuffixes{
    "", " Park", " Hills", " Valley", " Creek", " Heights", " Ridge", " Meadows"};
struct Place {
  std::string_view city, state;
};
constexpr std::array<Place, 12> kBirthPlaces{{{"Sacramento", "CA"}, {"Fresno", "CA"},
                                              {"Los Angeles", "CA"}, {"San Jose", "CA"},
                                              {"Oakland", "CA"}, {"Phoenix", "AZ"},
                                              {"Reno", "NV"}, {"Portland", "OR"},
                                              {"Houston", "TX"}, {"Chicago", "IL"},
                                              {"Seattle", "WA"}, {"Denver", "CO"}}};

struct LevelDef {
  std::string_view suffix;
  int first_grade, last_grade;
  uint64_t school_size, class_size;
};
constexpr std::array<LevelDef, 3> kLevels{{{"Elementary School", 0, 5, 450, 22},
                                           {"Middle School", 6, 8, 750, 28},
                                           {"High School", 9, 12, 1400, 28}}};

GradeLevel GradeOf(int g) {
  return g == 0 ? GradeLevel::kKindergarten
                : static_cast<GradeLevel>(static_cast<int>(GradeLevel::kGrade1) + g - 1);
}
std::string GradeLabel(int g) { return g == 0 ? "Kindergarten" : "Grade " + std::to_string(g); }

std::string Num(uint64_t n, int width) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%0*" PRIu64, width, n);
  return buf;
}

// The district course catalog: per grade, slots a student takes one course
// of (electives have alternatives). High-school courses carry their NCES
// SCED code (School Courses for the Exchange of Data, 2nd ed.); elementary
// and middle-school courses have none, as in most district catalogs.
struct CourseDef {
  std::string id, title, code, sced, subject;
  int grade = 0;
  double credits = 1;
  bool homeroom = false;
};
struct Catalog {
  std::vector<CourseDef> courses;
  std::array<std::vector<std::vector<size_t>>, kGrades> slots;  // grade -> slot -> alternatives
};

const Catalog& TheCatalog() {
  static const Catalog kCatalog = [] {
    Catalog c;
    auto add = [&c](int g, std::vector<CourseDef> alts) {
      std::vector<size_t> slot;
      for (auto& d : alts) {
        d.grade = g;
        d.id = "crs-" + d.code;
        slot.push_back(c.courses.size());
        c.courses.push_back(std::move(d));
      }
      c.slots[static_cast<size_t>(g)].push_back(std::move(slot));
    };
    for (int g = 0; g <= 5; ++g) {
      std::string n = Num(static_cast<uint64_t>(g), 2);
      add(g, {{"", GradeLabel(g) + " Homeroom", "HR-" + n, "", "Homeroom", 0, 0, true}});
      add(g, {{"", "Music " + GradeLabel(g), "MUS-" + n, "", "Music"}});
      add(g, {{"", "Physical Education " + GradeLabel(g), "PE-" + n, "", "Physical Education"}});
    }
    for (int g = 6; g <= 8; ++g) {
      std::string n = Num(static_cast<uint64_t>(g), 2), s = " " + std::to_string(g);
      add(g, {{"", "Language Arts" + s, "LA-" + n, "", "English Language Arts"}});
      add(g, {{"", "Mathematics" + s, "MA-" + n, "", "Mathematics"}});
      add(g, {{"", "Science" + s, "SC-" + n, "", "Science"}});
      add(g, {{"", "Social Studies" + s, "SS-" + n, "", "Social Studies"}});
      add(g, {{"", "Physical Education" + s, "PE-" + n, "", "Physical Education"}});
      add(g, {{"", "Art" + s, "ART-" + n, "", "Fine Arts"},
              {"", "Band" + s, "BND-" + n, "", "Music"}});
    }
    struct Hs {
      std::string_view title, sced, subject;
      double credits;
    };
    const std::array<std::array<Hs, 4>, 6> hs{{
        {{{"English 9", "01001", "English Language Arts", 1},
          {"English 10", "01002", "English Language Arts", 1},
          {"English 11", "01003", "English Language Arts", 1},
          {"English 12", "01004", "English Language Arts", 1}}},
        {{{"Algebra I", "02052", "Mathematics", 1}, {"Geometry", "02072", "Mathematics", 1},
          {"Algebra II", "02056", "Mathematics", 1}, {"Pre-Calculus", "02110", "Mathematics", 1}}},
        {{{"Earth Science", "03001", "Science", 1}, {"Biology", "03051", "Science", 1},
          {"Chemistry", "03101", "Science", 1}, {"Physics", "03151", "Science", 1}}},
        {{{"World Geography", "04001", "Social Studies", 1},
          {"World History", "04051", "Social Studies", 1},
          {"U.S. History", "04101", "Social Studies", 1},
          {"U.S. Government", "04151", "Social Studies", 1}}},
        {{{"Physical Education", "08001", "Physical Education", 0.5},
          {"Physical Education", "08001", "Physical Education", 0.5},
          {"Health Education", "08051", "Health", 0.5},
          {"Health Education", "08051", "Health", 0.5}}},
        {{{"Spanish I", "06101", "World Languages", 1}, {"Spanish II", "06102", "World Languages", 1},
          {"Spanish III", "06103", "World Languages", 1},
          {"Spanish IV", "06104", "World Languages", 1}}},
    }};
    for (int g = 9; g <= 12; ++g) {
      for (const auto& row : hs) {
        const Hs& h = row[static_cast<size_t>(g - 9)];
        add(g, {{"", std::string(h.title), std::string(h.sced) + "-" + Num(static_cast<uint64_t>(g), 2),
                 std::string(h.sced), std::string(h.subject), 0, h.credits}});
      }
    }
    return c;
  }();
  return kCatalog;
}

// One course at one school for one grade: its classes and their teachers.
struct Offering {
  size_t course;
  uint64_t students, classes, first_class, first_teacher, per_teacher;
};
struct School {
  std::string id, name;
  uint64_t number;
  std::array<std::vector<std::vector<Offering>>, kGrades> slots;  // grade -> slot -> alternative
  uint64_t classes = 0, teachers = 0;
};

// Students per grade, and the schools each level has.
struct Plan {
  std::array<uint64_t, kGrades> per_grade{}, grade_start{};
  std::array<uint64_t, 3> schools_at_level{}, first_school_at_level{};
  std::vector<School> schools;
};

int LevelOf(int grade) { return grade <= 5 ? 0 : grade <= 8 ? 1 : 2; }

// Students j of a grade with j % schools == k go to school k of the level;
// their rank there is j / schools; rank % alternatives picks an elective,
// and the rank among those taking it, modulo the classes, picks the class.
uint64_t Share(uint64_t n, uint64_t parts, uint64_t k) { return (n + parts - 1 - k) / parts; }

Plan MakePlan(uint64_t students) {
  Plan p;
  for (int g = 0; g < kGrades; ++g) {
    auto i = static_cast<size_t>(g);
    p.per_grade[i] = Share(students, kGrades, i);
    p.grade_start[i] = g == 0 ? 0 : p.grade_start[i - 1] + p.per_grade[i - 1];
  }
  const Catalog& cat = TheCatalog();
  for (size_t l = 0; l < kLevels.size(); ++l) {
    const LevelDef& level = kLevels[l];
    uint64_t n = 0;
    for (int g = level.first_grade; g <= level.last_grade; ++g) n += p.per_grade[static_cast<size_t>(g)];
    p.schools_at_level[l] = std::max<uint64_t>(1, (n + level.school_size / 2) / level.school_size);
    p.first_school_at_level[l] = p.schools.size();
    for (uint64_t k = 0; k < p.schools_at_level[l]; ++k) {
      School s;
      s.number = p.schools.size() + 1;
      s.id = "sch-" + Num(s.number, 3);
      s.name = std::string(kSchoolNames[k % kSchoolNames.size()]) +
               std::string(kSchoolSuffixes[(k / kSchoolNames.size()) % kSchoolSuffixes.size()]) +
               " " + std::string(level.suffix);
      if (k >= kSchoolNames.size() * kSchoolSuffixes.size())
        s.name += " " + std::to_string(k / (kSchoolNames.size() * kSchoolSuffixes.size()) + 1);
      for (int g = level.first_grade; g <= level.last_grade; ++g) {
        auto gi = static_cast<size_t>(g);
        uint64_t here = Share(p.per_grade[gi], p.schools_at_level[l], k);
        for (const auto& slot : cat.slots[gi]) {
          std::vector<Offering> alts;
          for (size_t a = 0; a < slot.size(); ++a) {
            Offering o{slot[a], Share(here, slot.size(), a), 0, s.classes, s.teachers, 5};
            o.classes = (o.students + level.class_size - 1) / level.class_size;
            if (cat.courses[o.course].homeroom) o.per_teacher = 1;
            s.classes += o.classes;
            s.teachers += (o.classes + o.per_teacher - 1) / o.per_teacher;
            alts.push_back(o);
          }
          s.slots[gi].push_back(std::move(alts));
        }
      }
      p.schools.push_back(std::move(s));
    }
  }
  return p;
}

std::string ClassId(const School& s, uint64_t seq) { return "cls-" + Num(s.number, 3) + "-" + Num(seq, 4); }
std::string TeacherId(const School& s, uint64_t seq) { return "tch-" + Num(s.number, 3) + "-" + Num(seq, 3); }

template <typename T>
void Stamp(T& r, std::string id) {
  r.id = std::move(id);
  r.status = "active";
  r.date_last_modified = std::string(kModified);
}

std::string Lower(std::string_view s) {
  std::string out;
  for (char c : s)
    if (std::isalnum(static_cast<unsigned char>(c)))
      out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

class Generator {
 public:
  Generator(const DistrictOptions& o, const RecordSink& sink)
      : o_(o), sink_(sink), plan_(MakePlan(o.students)) {
    Rng r(o_.seed, kDistrictKind, 0);
    district_ = std::string(r.Pick(kSchoolNames)) + " Unified School District";
    domain_ = Lower(district_.substr(0, district_.find(" Unified"))) + "usd.example.org";
  }

  Status Run() {
    PB_RETURN_IF_ERROR(Orgs());
    PB_RETURN_IF_ERROR(Sessions());
    PB_RETURN_IF_ERROR(Categories());
    PB_RETURN_IF_ERROR(Courses());
    for (const School& s : plan_.schools) PB_RETURN_IF_ERROR(Classes(s));
    for (uint64_t i = 0; i < o_.students; ++i) PB_RETURN_IF_ERROR(Student(i));
    return Status::Ok();
  }
  const DistrictCounts& counts() const { return n_; }

 private:
  Status Emit(Record r, uint64_t& counter) {
    ++counter;
    return sink_(r);
  }

  Status Orgs() {
    Organization d;
    Stamp(d, "org-district");
    d.name = district_;
    d.kind = OrgKind::kDistrict;
    d.identifiers = {{std::string(kSystemLocal), "0612345"}};
    PB_RETURN_IF_ERROR(Emit(std::move(d), n_.orgs));
    for (const School& s : plan_.schools) {
      Organization o;
      Stamp(o, s.id);
      o.name = s.name;
      o.kind = OrgKind::kSchool;
      o.identifiers = {{std::string(kSystemLocal), "0612345" + Num(s.number, 5)}};
      o.parent_id = "org-district";
      PB_RETURN_IF_ERROR(Emit(std::move(o), n_.orgs));
    }
    return Status::Ok();
  }

  Status Session(std::string id, std::string title, SessionType type, std::string_view begin,
                 std::string_view end, std::string parent) {
    AcademicSession a;
    Stamp(a, std::move(id));
    a.title = std::move(title);
    a.type = type;
    a.start_date = std::string(begin);
    a.end_date = std::string(end);
    a.parent_id = std::move(parent);
    a.school_year = "2025";
    return Emit(std::move(a), n_.sessions);
  }

  Status Sessions() {
    PB_RETURN_IF_ERROR(Session("as-2025", "2024-2025", SessionType::kSchoolYear, kYearBegin, kYearEnd, ""));
    PB_RETURN_IF_ERROR(Session("as-2025-s1", "Fall Semester 2024", SessionType::kTerm, kYearBegin, "2024-12-20", "as-2025"));
    PB_RETURN_IF_ERROR(Session("as-2025-s2", "Spring Semester 2025", SessionType::kTerm, "2025-01-06", kYearEnd, "as-2025"));
    PB_RETURN_IF_ERROR(Session("as-2025-q1", "Quarter 1", SessionType::kGradingPeriod, kYearBegin, "2024-10-18", "as-2025-s1"));
    PB_RETURN_IF_ERROR(Session("as-2025-q2", "Quarter 2", SessionType::kGradingPeriod, "2024-10-21", "2024-12-20", "as-2025-s1"));
    PB_RETURN_IF_ERROR(Session("as-2025-q3", "Quarter 3", SessionType::kGradingPeriod, "2025-01-06", "2025-03-14", "as-2025-s2"));
    return Session("as-2025-q4", "Quarter 4", SessionType::kGradingPeriod, "2025-03-17", kYearEnd, "as-2025-s2");
  }

  Status Categories() {
    for (auto [id, title, weight] : {std::tuple{"cat-hw", "Homework", 0.2},
                                     std::tuple{"cat-quiz", "Quizzes", 0.3},
                                     std::tuple{"cat-test", "Tests", 0.5}}) {
      Category c;
      Stamp(c, id);
      c.title = title;
      c.weight = weight;
      PB_RETURN_IF_ERROR(Emit(std::move(c), n_.categories));
    }
    return Status::Ok();
  }

  Status Courses() {
    for (const CourseDef& d : TheCatalog().courses) {
      Course c;
      Stamp(c, d.id);
      c.title = d.title;
      c.code = d.code;
      c.org_id = "org-district";
      c.school_year_id = "as-2025";
      c.grade_levels = {GradeOf(d.grade)};
      c.subjects = {d.subject};
      if (!d.sced.empty()) {
        c.sced_code = d.sced;
        c.subject_codes = {d.sced};
        c.credits = d.credits;
      }
      PB_RETURN_IF_ERROR(Emit(std::move(c), n_.courses));
    }
    return Status::Ok();
  }

  // The school's classes, each with its gradebook line item and teacher
  // enrollment, then the teachers.
  Status Classes(const School& s) {
    const Catalog& cat = TheCatalog();
    for (int g = 0; g < kGrades; ++g) {
      const auto& slots = s.slots[static_cast<size_t>(g)];
      for (size_t slot = 0; slot < slots.size(); ++slot) {
        for (const Offering& o : slots[slot]) {
          const CourseDef& d = cat.courses[o.course];
          for (uint64_t m = 0; m < o.classes; ++m) {
            uint64_t seq = o.first_class + m;
            Section c;
            Stamp(c, ClassId(s, seq));
            c.title = d.title + " - " + Num(m + 1, 2);
            c.code = d.code + "-" + Num(m + 1, 2);
            c.type = d.homeroom ? SectionType::kHomeroom : SectionType::kScheduled;
            c.course_id = d.id;
            c.org_id = s.id;
            c.session_ids = {"as-2025-s1", "as-2025-s2"};
            c.location = "Room " + std::to_string(100 + seq % 60 + 100 * (seq / 60 % 3));
            c.periods = {std::to_string(d.homeroom ? 1 : slot + 1)};
            c.grade_levels = {GradeOf(g)};
            c.subjects = {d.subject};
            c.subject_codes = d.sced.empty() ? std::vector<std::string>{} : std::vector{d.sced};
            PB_RETURN_IF_ERROR(Emit(std::move(c), n_.classes));
            PB_RETURN_IF_ERROR(LineItemFor(s, seq, d));
            Enrollment e;
            Stamp(e, "enr-" + ClassId(s, seq).substr(4) + "-t");
            e.kind = EnrollmentKind::kSection;
            e.person_id = TeacherId(s, o.first_teacher + m / o.per_teacher);
            e.org_id = s.id;
            e.section_id = ClassId(s, seq);
            e.role = Role::kTeacher;
            e.primary = true;
            e.begin_date = std::string(kYearBegin);
            e.end_date = std::string(kYearEnd);
            PB_RETURN_IF_ERROR(Emit(std::move(e), n_.enrollments));
          }
        }
      }
    }
    for (uint64_t t = 0; t < s.teachers; ++t) PB_RETURN_IF_ERROR(Teacher(s, t));
    return Status::Ok();
  }

  Status LineItemFor(const School& s, uint64_t seq, const CourseDef& d) {
    LineItem li;
    Stamp(li, "li-" + ClassId(s, seq).substr(4));
    li.title = "Quarter 1 Unit Assessment";
    li.description = d.title + ": first unit assessment";
    li.assign_date = "2024-09-23T15:00:00Z";
    li.due_date = "2024-10-04T23:59:00Z";
    li.section_id = ClassId(s, seq);
    li.category_id = "cat-test";
    li.grading_period_id = "as-2025-q1";
    li.result_value_min = 0;
    li.result_value_max = 100;
    return Emit(std::move(li), n_.line_items);
  }

  Status RoleFor(std::string id, const std::string& person, const std::string& org, canonical::Role role) {
    Enrollment e;
    Stamp(e, std::move(id));
    e.kind = EnrollmentKind::kOrganization;
    e.person_id = person;
    e.org_id = org;
    e.role = role;
    e.primary = true;
    e.begin_date = std::string(kYearBegin);
    return Emit(std::move(e), n_.roles);
  }

  Status Teacher(const School& s, uint64_t t) {
    Rng r(o_.seed, kTeacherKind, s.number * 100000 + t);
    Person p;
    Stamp(p, TeacherId(s, t));
    p.role = Role::kTeacher;
    p.given_name = std::string(r.Chance(0.75) ? r.Pick(kFemaleNames) : r.Pick(kMaleNames));
    p.family_name = std::string(r.Pick(kFamilyNames));
    p.username = Lower(p.given_name.substr(0, 1) + p.family_name) + Num(s.number, 3) + Num(t, 3);
    p.email = p.username + "@" + domain_;
    p.identifiers = {{std::string(kSystemLocal), "T" + Num(s.number, 3) + Num(t, 3)}};
    p.enabled = true;
    p.org_ids = {s.id};
    p.primary_org_id = s.id;
    std::string id = p.id;
    PB_RETURN_IF_ERROR(Emit(std::move(p), n_.teachers));
    return RoleFor("role-" + id, id, s.id, Role::kTeacher);
  }

  Status Student(uint64_t i) {
    int g = 0;
    while (g + 1 < kGrades && i >= plan_.grade_start[static_cast<size_t>(g + 1)]) ++g;
    auto gi = static_cast<size_t>(g);
    auto l = static_cast<size_t>(LevelOf(g));
    uint64_t j = i - plan_.grade_start[gi];
    const School& s = plan_.schools[plan_.first_school_at_level[l] + j % plan_.schools_at_level[l]];
    uint64_t rank = j / plan_.schools_at_level[l];

    Rng r(o_.seed, kStudentKind, i);
    std::string id = "stu-" + Num(i + 1, 7);
    bool female = r.Chance(0.49), other = !female && r.Chance(0.02);
    std::string family(r.Pick(kFamilyNames));
    uint64_t guardians = r.Chance(0.7) ? 2 : 1;

    Person p;
    Stamp(p, id);
    p.role = Role::kStudent;
    p.given_name = std::string(female ? r.Pick(kFemaleNames) : r.Pick(kMaleNames));
    if (r.Chance(0.6)) p.middle_name = std::string(r.Chance(0.5) ? r.Pick(kFemaleNames) : r.Pick(kMaleNames));
    p.family_name = family;
    p.username = Lower(p.given_name + "." + family) + std::to_string(i + 1);
    p.email = p.username + "@students." + domain_;
    p.identifiers = {{std::string(kSystemLocal), Num(100000 + i + 1, 7)},
                     {std::string(kSystemState), "CA" + Num(r.Below(10000000000ull), 10)}};
    p.enabled = true;
    p.org_ids = {s.id};
    p.primary_org_id = s.id;
    p.grade_levels = {GradeOf(g)};
    for (uint64_t k = 1; k <= guardians; ++k) p.agent_ids.push_back("grd-" + Num(i + 1, 7) + "-" + std::to_string(k));
    if (o_.messy) Mess(r, p);
    PB_RETURN_IF_ERROR(Emit(std::move(p), n_.students));
    PB_RETURN_IF_ERROR(DemographicsFor(r, id, g, female, other));
    PB_RETURN_IF_ERROR(RoleFor("role-" + id, id, s.id, Role::kStudent));
    for (uint64_t k = 1; k <= guardians; ++k) PB_RETURN_IF_ERROR(Guardian(i, k, family, s));
    return Classes(r, i, s, gi, rank);
  }

  // Real exports' defects that the decoder tolerates (see the header).
  void Mess(Rng& r, Person& p) {
    if (r.Chance(0.02)) p.given_name = " " + p.given_name;
    if (r.Chance(0.02)) p.family_name += " ";
    if (r.Chance(0.03)) p.email.clear();
    if (r.Chance(0.05)) p.extensions["legacyStudentNumber"] = "L" + p.identifiers[0].value;
  }

  Status DemographicsFor(Rng& r, const std::string& id, int g, bool female, bool other) {
    Demographics d;
    Stamp(d, id);
    // Born between September of (2018 - grade) and August of the next year.
    int year = 2018 - g;
    int day_of_year = static_cast<int>(r.Below(365));
    static constexpr std::array<int, 12> kDays{30, 31, 30, 31, 31, 28, 31, 30, 31, 30, 31, 31};
    int month = 0;  // 0 = September
    while (day_of_year >= kDays[static_cast<size_t>(month)]) day_of_year -= kDays[static_cast<size_t>(month++)];
    int m = (month + 8) % 12 + 1;
    d.birth_date = std::to_string(m >= 9 ? year : year + 1) + "-" + Num(static_cast<uint64_t>(m), 2) +
                   "-" + Num(static_cast<uint64_t>(day_of_year + 1), 2);
    d.sex = female ? Sex::kFemale : other ? Sex::kNonBinary : Sex::kMale;
    // Roughly a California district's mix (CDE enrollment by ethnicity).
    d.hispanic_or_latino_ethnicity = r.Chance(0.5);
    double race = r.Uniform();
    d.white = race < 0.45;
    d.black_or_african_american = race >= 0.45 && race < 0.53;
    d.asian = race >= 0.53 && race < 0.68;
    d.american_indian_or_alaska_native = race >= 0.68 && race < 0.70;
    d.native_hawaiian_or_other_pacific_islander = race >= 0.70 && race < 0.71;
    d.two_or_more_races = race >= 0.71;
    bool abroad = r.Chance(0.08);
    d.country_of_birth = abroad ? std::string(r.Pick(std::array<std::string_view, 5>{"MX", "PH", "VN", "IN", "SV"})) : "US";
    if (!abroad) {
      const Place& place = r.Pick(kBirthPlaces);
      d.state_of_birth = std::string(place.state);
      d.city_of_birth = std::string(place.city);
    }
    return Emit(std::move(d), n_.demographics);
  }

  Status Guardian(uint64_t i, uint64_t k, const std::string& family, const School& s) {
    Rng r(o_.seed, kGuardianKind, i * 4 + k);
    Person p;
    Stamp(p, "grd-" + Num(i + 1, 7) + "-" + std::to_string(k));
    bool mother = k == 1 ? r.Chance(0.7) : r.Chance(0.3);
    p.role = r.Chance(0.9) ? Role::kParent : Role::kGuardian;
    p.given_name = std::string(mother ? r.Pick(kFemaleNames) : r.Pick(kMaleNames));
    p.family_name = r.Chance(0.8) ? family : std::string(r.Pick(kFamilyNames));
    p.email = Lower(p.given_name) + "." + Lower(p.family_name) + std::to_string(r.Below(1000)) +
              "@" + std::string(r.Pick(std::array<std::string_view, 3>{"example.com", "example.net", "example.org"}));
    // 555-0100..0199 are reserved for fiction.
    p.phone = "+1" + std::to_string(200 + r.Below(800)) + "55501" + Num(r.Below(100), 2);
    p.enabled = true;
    p.org_ids = {s.id};
    p.primary_org_id = s.id;
    p.agent_ids = {"stu-" + Num(i + 1, 7)};
    std::string id = p.id;
    canonical::Role role = p.role;
    PB_RETURN_IF_ERROR(Emit(std::move(p), n_.guardians));
    return RoleFor("role-" + id, id, s.id, role);
  }

  // One class per slot of the student's grade, and a result on its line item.
  Status Classes(Rng& r, uint64_t i, const School& s, size_t gi, uint64_t rank) {
    std::string id = "stu-" + Num(i + 1, 7);
    double ability = 55 + 40 * r.Uniform();
    uint64_t k = 0;
    for (const auto& alts : s.slots[gi]) {
      const Offering& o = alts[rank % alts.size()];
      uint64_t seq = o.first_class + (rank / alts.size()) % o.classes;
      ++k;
      Enrollment e;
      Stamp(e, "enr-" + id.substr(4) + "-" + std::to_string(k));
      e.kind = EnrollmentKind::kSection;
      e.person_id = id;
      e.org_id = s.id;
      e.section_id = ClassId(s, seq);
      e.role = Role::kStudent;
      e.begin_date = std::string(kYearBegin);
      e.end_date = std::string(kYearEnd);
      if (o_.messy && r.Chance(0.005)) e.status = "tobedeleted";
      PB_RETURN_IF_ERROR(Emit(std::move(e), n_.enrollments));
      LineItemResult res;
      Stamp(res, "res-" + id.substr(4) + "-" + std::to_string(k));
      res.line_item_id = "li-" + ClassId(s, seq).substr(4);
      res.person_id = id;
      res.score_status = "fully graded";
      res.score = std::min(100.0, std::round(ability + 15 * (r.Uniform() - 0.5)));
      res.score_date = "2024-10-07";
      if (r.Chance(0.05)) res.comment = *res.score >= 90 ? "Excellent work" : *res.score < 65 ? "See me about a retake" : "Good effort";
      PB_RETURN_IF_ERROR(Emit(std::move(res), n_.results));
    }
    return Status::Ok();
  }

  const DistrictOptions& o_;
  const RecordSink& sink_;
  Plan plan_;
  std::string district_, domain_;
  DistrictCounts n_;
};

}  // namespace

pathbridge::Result<DistrictCounts> GenerateDistrict(const DistrictOptions& options,
                                                    const RecordSink& sink) {
  if (options.students == 0) return InvalidArgument("a district needs at least one student");
  if (options.students > 100'000'000) return InvalidArgument("at most 100,000,000 students");
  Generator g(options, sink);
  PB_RETURN_IF_ERROR(g.Run());
  return g.counts();
}

pathbridge::Result<DistrictCounts> WriteDistrictBundle(const DistrictOptions& options,
                                                       const std::filesystem::path& output) {
  PB_ASSIGN_OR_RETURN(const Adapter* csv, FindAdapter("oneroster-csv"));
  PB_ASSIGN_OR_RETURN(auto encoder, csv->OpenEncoder(output, {}));
  auto counts = GenerateDistrict(options, [&](const Record& r) { return encoder->Write(r); });
  if (!counts.ok()) {
    encoder->Abort();
    return counts.status();
  }
  PB_RETURN_IF_ERROR(encoder->Finish());
  return counts;
}

}  // namespace pathbridge::adapters::demo_data
