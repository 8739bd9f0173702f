// Assistance links (issue 5): 能人带动 leaders and the households they bring along, 景区带村 scenic
// spots and their villages, 电商产品 e-commerce products.
export * from './leaders.js';
export * from './spots.js';
export * from './products.js';
