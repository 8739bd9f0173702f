// Column lists in camelCase, shared by the household service's queries. ID numbers and phones
// are read masked (services/pii.ts); the full values only through pii's openId/openPhone.
export const householdCols = `county_code AS "countyCode", id, household_no AS "householdNo", village_code AS "villageCode",
  group_name AS "groupName", attribute, exit_status AS "exitStatus", main_cause AS "mainCause", other_causes AS "otherCauses",
  head_name AS "headName", to_char(identified_on, 'YYYY-MM-DD') AS "identifiedOn", exit_year AS "exitYear", phone_masked AS phone,
  assistance_unit AS "assistanceUnit", responsible_cadre AS "responsibleCadre", relocated, version,
  created_at AS "createdAt", updated_at AS "updatedAt"`;

export const memberCols = `id, household_id AS "householdId", name, id_masked AS "idNumber", relation, sex,
  to_char(birth_date, 'YYYY-MM-DD') AS "birthDate", ethnicity, education, student_status AS "studentStatus", health,
  disability_grade AS "disabilityGrade", labour_ability AS "labourAbility", work_months AS "workMonths",
  medical_insurance AS "medicalInsurance", critical_illness_insurance AS "criticalIllnessInsurance",
  pension_insurance AS "pensionInsurance", phone_masked AS phone`;

export const yearCols = `year, household_size AS "householdSize", status, wage_income AS "wageIncome",
  production_income AS "productionIncome", property_income AS "propertyIncome", transfer_income AS "transferIncome",
  production_costs AS "productionCosts", non_counting_income AS "nonCountingIncome", per_capita_income AS "perCapitaIncome",
  food_secure AS "foodSecure", clothing_secure AS "clothingSecure", education_secure AS "educationSecure",
  medical_secure AS "medicalSecure", housing_secure AS "housingSecure", water_secure AS "waterSecure",
  dangerous_house AS "dangerousHouse", water_litres_per_day AS "waterLitresPerDay", water_fetch_minutes AS "waterFetchMinutes",
  electricity, road_access AS "roadAccess", sanitary_toilet AS "sanitaryToilet", farmland_mu AS "farmlandMu",
  forest_mu AS "forestMu", returned_farmland_mu AS "returnedFarmlandMu", pasture_mu AS "pastureMu", note, version`;

/** List columns: households h, its year row y (latest or chosen), village v, township t. */
export const selectList = `h.id, h.household_no AS "householdNo", h.village_code AS "villageCode", v.name AS "villageName",
  t.name AS "townshipName", h.head_name AS "headName",
  (SELECT m.id_masked FROM members m WHERE m.county_code = h.county_code AND m.household_id = h.id AND m.relation = '01' LIMIT 1) AS "headIdNumber",
  (SELECT count(*)::int FROM members m WHERE m.county_code = h.county_code AND m.household_id = h.id) AS size,
  h.attribute, h.exit_status AS "exitStatus", h.main_cause AS "mainCause", to_char(h.identified_on, 'YYYY-MM-DD') AS "identifiedOn",
  h.exit_year AS "exitYear", y.per_capita_income AS "perCapitaIncome", h.version`;
