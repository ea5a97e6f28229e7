import { DEMO_ACCOUNTS, expect, test } from "./fixtures";

test.describe("sign-in", () => {
  for (const account of DEMO_ACCOUNTS) {
    test(`${account.email} signs in to ${account.organization}`, async ({ signInAs, shell }) => {
      await signInAs(account.email);
      await shell.expectSignedInAs(account);
      await shell.signOut();
    });
  }

  test("a wrong password is refused without saying which field was wrong", async ({ page, loginPage, capture }) => {
    await loginPage.goto();
    await loginPage.signIn("admin@demo.test", "not-the-password");
    await loginPage.expectError("Email or password is incorrect");
    await expect(page).toHaveURL(/\/login/);
    await loginPage.signIn("nobody@demo.test", "not-the-password");
    await loginPage.expectError("Email or password is incorrect");
    await capture("login-error");
  });

  test("a signed-out deep link goes through sign-in and lands back on the page", async ({ page, loginPage }) => {
    await page.goto("/members?view=all");
    await expect(page).toHaveURL(/\/login\?callbackUrl=/);
    await loginPage.signIn("member@demo.test");
    await expect(page).toHaveURL(/\/members\?view=all$/);
  });

  test("sign-in never redirects to another site", async ({ page, loginPage }) => {
    await loginPage.goto("https://evil.example/phish");
    await loginPage.signIn("member@demo.test");
    await expect(page).toHaveURL(/localhost:\d+\/folders/);
  });
});
