// The project library (项目库), its funds, beneficiaries (利益联结), public disclosure (公告公示)
// and the assets it created with their income distribution.
export { listProjects, getProject, createProject, updateProject, setProjectStatus, setDisclosure, type ProjectView, type ProjectFile, type DisbursementView } from './library.js';
export { setBudget, disburse, fundsView, type BudgetLine, type FundsView } from './funds.js';
export { getBeneficiaries, addBeneficiary, removeBeneficiary, type BeneficiaryView } from './beneficiaries.js';
export { disclosureList, type DisclosureList } from './disclosure.js';
export { listAssets, getAsset, createAsset, listIncomes, recordIncome, type AssetView, type IncomeView } from './assets.js';
