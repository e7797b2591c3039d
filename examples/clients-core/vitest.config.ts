import { definePackageTestConfig } from '../../scripts/vitest-preset.ts';

export default definePackageTestConfig();
